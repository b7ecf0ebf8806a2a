/** Email rules live in @careline/contracts so the web app's forms apply the same ones. */
export { ZEmail, normaliseEmail } from '@careline/contracts';
