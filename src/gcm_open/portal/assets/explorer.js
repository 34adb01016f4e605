// The explorer of a gcm-open release: filters the list of practices in the page, searches
// their texts with the release's Pagefind index, and keeps the view in the address so that
// a link restores it. No request leaves the portal. A classic script, so that the filters
// work from a folder opened from disk too (browsers refuse modules there, and so the
// search, which Pagefind ships as a module).
const form = document.getElementById("explorer");
const list = document.getElementById("results");
const shown = document.getElementById("shown");
const items = Array.from(list.children);
// The filters are the form's lists, each named by its key in the address.
const keys = Array.from(form.querySelectorAll("select"), (select) => select.name);
let search = null;
let latest = 0;
let pause = null;

async function searchLibrary() {
  if (search === null) {
    search = await import(new URL(form.dataset.search, document.baseURI).href);
    await search.options({ excerptLength: 24 });
  }
  return search;
}

// Pagefind marks the words found with <mark>; only text and those marks are copied.
function showExcerpt(element, excerpt) {
  element.replaceChildren();
  const parsed = new DOMParser().parseFromString(excerpt, "text/html");
  for (const node of parsed.body.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      element.append(node.textContent);
    } else if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      element.append(mark);
    } else {
      element.append(node.textContent);
    }
  }
  element.hidden = false;
}

function readAddress() {
  const params = new URLSearchParams(window.location.search);
  form.elements.q.value = params.get("q") || "";
  for (const key of keys) {
    const select = form.elements[key];
    const value = params.get(key) || "";
    select.value = Array.from(select.options).some((o) => o.value === value) ? value : "";
  }
}

function writeAddress(query) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const key of keys) {
    if (form.elements[key].value) params.set(key, form.elements[key].value);
  }
  const address = params.toString();
  window.history.replaceState(null, "", address ? `?${address}` : window.location.pathname);
}

// How many of the practices found show their excerpt (each is one more request).
const EXCERPTS = 20;

async function update() {
  const run = ++latest;
  const query = form.elements.q.value.trim();
  list.setAttribute("aria-busy", "true");
  // A search's results by their record in the index, best first.
  let found = null;
  if (query) {
    const library = await searchLibrary();
    const answer = await library.search(query);
    if (run !== latest) return;
    found = new Map(answer.results.map((result, rank) => [result.id, { rank, result }]));
  }
  let visible = items.filter((item) =>
    keys.every((key) => {
      const wanted = form.elements[key].value;
      return !wanted || item.dataset[key].split(" ").includes(wanted);
    }),
  );
  if (found !== null) {
    visible = visible.filter((item) => found.has(item.dataset.fragment));
    visible.sort((a, b) => found.get(a.dataset.fragment).rank - found.get(b.dataset.fragment).rank);
  }
  const shownNow = new Set(visible);
  for (const item of items) {
    item.hidden = !shownNow.has(item);
    item.querySelector(".excerpt").hidden = true;
  }
  // Best matches first while searching; the release's order otherwise.
  list.append(...(found === null ? items : [...visible, ...items.filter((i) => !shownNow.has(i))]));
  shown.textContent = String(visible.length);
  list.setAttribute("aria-busy", "false");
  writeAddress(query);
  if (found !== null) {
    const first = visible.slice(0, EXCERPTS);
    const records = await Promise.all(first.map((item) => found.get(item.dataset.fragment).result.data()));
    if (run !== latest) return;
    first.forEach((item, index) => showExcerpt(item.querySelector(".excerpt"), records[index].excerpt));
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  update();
});
form.addEventListener("input", (event) => {
  clearTimeout(pause);
  pause = setTimeout(update, event.target.type === "search" ? 200 : 0);
});
form.addEventListener("reset", () => setTimeout(update, 0));
readAddress();
update();
