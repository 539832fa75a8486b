import { franc } from 'franc-min';

/** Languages whose name the rejection report can give in French. */
const LANGUAGE_NAMES: Record<string, string> = {
  fra: 'français', eng: 'anglais', deu: 'allemand', spa: 'espagnol', ita: 'italien', por: 'portugais',
  nld: 'néerlandais', cat: 'catalan', pol: 'polonais', ron: 'roumain', und: 'indéterminée',
};

export function languageName(code: string): string {
  return LANGUAGE_NAMES[code] ?? code;
}

/** Language of an article's text. Long texts only need the first few thousand characters. */
export function detectArticleLanguage(body: string): string {
  return franc(body.slice(0, 4000), { minLength: 40 });
}
