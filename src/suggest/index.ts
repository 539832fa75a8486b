/** Autocomplete: phrases mined from the articles, offered while a question is typed. */
export { MAX_ARTICLES_MINED, MAX_PHRASES, MAX_SUGGESTION, minePhrasesNow, suggest, warmSuggestions, warmSuggestionsInSlices } from './suggest.js';
