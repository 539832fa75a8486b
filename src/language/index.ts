/** French analysis shared by the index and the questions: the analyzer, question analysis and its lexicons. */
export { ANALYZER_VERSION, fold, indexTerms, isEnglishStopWord, isFrenchStopWord, termsOfWord, tokenize, type AnalysisMode, type Token } from './analyzer.js';
export { analyzeQuestion, detectQuestionLanguage, type AnalyzedQuestion, type AnswerCue, type QueryWord, type QuestionLanguage } from './question.js';
