/** French analysis shared by the index and the questions: the analyzer, question analysis and its lexicons. */
export {
  ANALYZER_VERSION,
  eachWord,
  familyRoot,
  synonymTerms,
  fold,
  WORD,
  indexTerms,
  isEnglishStopWord,
  isFrenchStopWord,
  termsOfWord,
  tokenize,
  type AnalysisMode,
  type Token,
} from './analyzer.js';
export {
  analyzeQuestion,
  detectQuestionLanguage,
  type AnalyzedQuestion,
  type AnswerCue,
  type QueryWord,
  type QuestionLanguage,
} from './question.js';
export { isFrenchWord, warmFrenchWords } from './french-words.js';
