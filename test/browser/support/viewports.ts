/**
 * The screen sizes the browser suite uses. The accessibility statement names
 * them, and a test keeps the two in step.
 */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 667 };
/** A 1280 x 1024 screen zoomed to 400% (WCAG 1.4.10 reflow). */
export const REFLOW = { width: 320, height: 256 };
