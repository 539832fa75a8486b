import { questionCommand } from './question-command.js';

/** `/recherche`: every topic, so articles on a new subject can be asked about at once. */
export const recherche = questionCommand('recherche', 'Poser une question sur tous les articles indexés', null);
