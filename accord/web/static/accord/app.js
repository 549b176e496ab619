// The only script on every page. GOV.UK's template sets these body classes with an inline
// script; the content security policy forbids inline scripts, so they are set here instead.
import { initAll } from "../build/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();
