/**
 * `stopword`'s ES module build, which the package ships beside its CommonJS main: importing the package by name
 * loads the CommonJS build, three to four times slower to load (about 25 ms of every process and parsing thread
 * start). Only the lists the project reads are declared.
 */
declare module 'stopword/dist/stopword.esm.mjs' {
  export const cat: string[];
  export const deu: string[];
  export const eng: string[];
  export const fra: string[];
  export const ita: string[];
  export const nld: string[];
  export const pol: string[];
  export const por: string[];
  export const ron: string[];
  export const spa: string[];
}
