// Moves the keyboard focus to what just opened (the planner's editor, a question,
// the presenter's first screen).  The kernel names a CSS selector; the page may draw
// that element a moment later, so it is looked for on each frame for up to 2 s.
// Only elements inside this widget's own view (its notebook or page) are searched.
function render({ model, el }) {
  el.style.display = "none";
  const root = () => el.closest(".jp-Notebook, .jp-OutputArea, body") || document;
  const go = () => {
    const selector = model.get("selector");
    if (!selector) return;
    let tries = 0;
    const tick = () => {
      const found = root().querySelector(selector);
      const target = found && (found.matches("input, select, textarea, button, [tabindex]")
        ? found : found.querySelector("input, select, textarea, button, [tabindex]"));
      if (target && target.offsetParent !== null) {
        target.focus({ preventScroll: true });
        // Scroll what opened into the part of the window not under a sticky panel
        // (the planner's chart sits at the window's foot): its box to the top.
        const box = target.closest(".bg-board-entry, .bg-ask") || target;
        const panel = root().querySelector(".bg-effect");
        const foot = window.innerHeight - (panel ? panel.getBoundingClientRect().height : 0);
        const r = box.getBoundingClientRect();
        if (r.top < 0 || r.bottom > foot) box.scrollIntoView({ block: "start" });
      } else if (tries++ < 120) {
        requestAnimationFrame(tick);
      }
    };
    tick();
  };
  model.on("change:nonce", go);
}
export default { render };
