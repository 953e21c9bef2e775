// The search box suggests people, organisations and places as their names are typed.
document.querySelectorAll("form.search-box input[data-complete]").forEach((input) => {
  const list = input.form.querySelector("ul.suggestions");
  let timer = null, asked = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const prefix = input.value.trim();
      asked = prefix;
      if (prefix.length < 2) { list.hidden = true; return; }
      const answer = await fetch(input.dataset.complete + "?prefix=" + encodeURIComponent(prefix));
      if (!answer.ok || asked !== prefix) return;
      const { names } = await answer.json();
      list.replaceChildren(...names.map((name) => {
        const item = document.createElement("li"), link = document.createElement("a");
        link.href = name.href;
        link.textContent = name.label;
        link.title = name.type;
        item.append(link);
        return item;
      }));
      list.hidden = names.length === 0;
    }, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && !list.hidden) { event.preventDefault(); list.querySelector("a")?.focus(); }
  });
  document.addEventListener("click", (event) => { if (!input.form.contains(event.target)) list.hidden = true; });
});
