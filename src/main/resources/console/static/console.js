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

  // While a long change runs (an import, a change that restarts many deployments), say so and
  // keep the form from being sent twice.
  document.querySelectorAll("form[data-progress]").forEach((form) => {
    form.addEventListener("submit", () => {
      const status = document.getElementById(form.dataset.progress);
      if (status) {
        status.hidden = false;
      }
      form.querySelectorAll("button[type=submit]").forEach((button) => {
        button.disabled = true;
      });
      form.setAttribute("aria-busy", "true");
    });
  });
});
