/** Autocomplete: phrases mined from the articles, offered while a question is typed. */
export { minePhrasesNow, suggest, warmSuggestions, warmSuggestionsInSlices } from './suggest.js';
