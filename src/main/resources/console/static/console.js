// Progressive enhancement only: every form and link of the console works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // A copy button beside a value shown once (data-copy names the element whose text it copies).
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      if (!source) {
        return;
      }
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        button.textContent = "Copied";
      } catch (refused) {
        button.textContent = "Select and copy by hand";
      }
    });
  });

  // While a long change runs (an import, a change that restarts many deployments), say so, and
  // send the form once however often it is submitted. The buttons stay enabled: a disabled
  // submit button is left out of what the form sends, and which button was pressed is the choice
  // (e.g. "Apply" or "Apply without restarts").
  document.querySelectorAll("form[data-progress]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "true";
      const status = document.getElementById(form.dataset.progress);
      if (status) {
        status.hidden = false;
      }
      form.setAttribute("aria-busy", "true");
    });
  });
});
