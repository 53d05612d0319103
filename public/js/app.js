// Starts the NHS.UK frontend components (header menu, skip link, details...).
// The import path is rewritten to the fingerprinted file when assets are built.
import { initAll } from './nhsuk-frontend.js';

initAll();
