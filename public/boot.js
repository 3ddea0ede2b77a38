// Starts the page's WebAssembly (built and split by scripts/build-split.sh, which points
// /__PAGE__/ at the build's folder). A dynamic import, so that a browser which cannot load or run
// the app (no WebAssembly, an engine too old) gets a message in #boot instead of a blank page;
// the app's first act is to remove #boot once it is mounted.
import("/__PAGE__/scim-playground.js")
  .then((glue) => glue.default({ module_or_path: "/__PAGE__/scim-playground_bg.wasm" }))
  .then(
    () => document.getElementById("boot")?.remove(),
    (error) => {
      const boot = document.getElementById("boot");
      if (!boot) return;
      boot.querySelector("[data-boot-message]").textContent =
        "SCIM Playground could not start in this browser: " + ((error && error.message) || error) + ". " +
        "It needs WebAssembly, JavaScript modules and module service workers; it is tested in " +
        "Chromium, Firefox and WebKit (Safari's engine) — see the README for the versions.";
      boot.classList.add("boot--failed");
    },
  );
