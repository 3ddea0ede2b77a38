// Starts the page's WebAssembly (built and split by scripts/build-split.sh, which points
// __PAGE__ at the build's folder). A dynamic import, so that a browser which cannot load or run
// the app (no WebAssembly, an engine too old) gets a message in #boot instead of a blank page;
// the app's first act is to remove #boot once it is mounted.
//
// The build knows the base it was made for (index.html's meta, `trunk build --public-url`). This
// file is served from wherever the build was put: if that is not the base, the app's routes, its
// worker and its data would all be looked for in the wrong place, so it says so and stops.
const boot = document.getElementById("boot");
const say = (text) => {
  if (!boot) return;
  boot.querySelector("[data-boot-message]").textContent = text;
  boot.classList.add("boot--failed");
};
const built = document.querySelector('meta[name="scim-playground-base"]')?.content ?? "/";
const here = new URL("./", import.meta.url).pathname;

if (here !== built || !location.pathname.startsWith(built)) {
  say(
    `This copy of SCIM Playground was built to be served at ${built}, but it is served at ${here}. ` +
      `Build it for this place with "trunk build --release --public-url ${here}", ` +
      `or deploy it at ${built} (see the README, "Deploy").`,
  );
} else {
  import(new URL("./__PAGE__/scim-playground.js", import.meta.url).href)
    .then((glue) => glue.default({ module_or_path: new URL("./__PAGE__/scim-playground_bg.wasm", import.meta.url) }))
    .then(
      () => boot?.remove(),
      (error) =>
        say(
          "SCIM Playground could not start in this browser: " + ((error && error.message) || error) + ". " +
            "It needs WebAssembly, JavaScript modules and module service workers; it is tested in " +
            "Chromium, Firefox and WebKit (Safari's engine) — see the README for the versions.",
        ),
    );
}
