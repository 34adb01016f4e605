// The explorer of a gcm-open release: filters the list of practices in the page, searches
// their texts with the release's Pagefind index, and keeps the view in the address so that
// a link restores it. No request leaves the portal.
const form = document.getElementById("explorer");
const list = document.getElementById("results");
const shown = document.getElementById("shown");
const items = Array.from(list.children);
const keys = ["objetivo", "seccion", "estado", "institucion", "poblacion", "pais"];
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

async function update() {
  const run = ++latest;
  const query = form.elements.q.value.trim();
  let found = null;
  if (query) {
    const library = await searchLibrary();
    const answer = await library.search(query);
    const records = await Promise.all(answer.results.map((result) => result.data()));
    if (run !== latest) return;
    found = new Map(records.map((record) => [record.url.split("/").pop().replace(/\.html$/, ""), record.excerpt]));
  }
  let count = 0;
  for (const item of items) {
    const excerpt = item.querySelector(".excerpt");
    let visible = keys.every((key) => {
      const wanted = form.elements[key].value;
      return !wanted || item.dataset[key].split(" ").includes(wanted);
    });
    if (visible && found !== null) visible = found.has(item.id);
    item.hidden = !visible;
    if (visible && found !== null) {
      showExcerpt(excerpt, found.get(item.id));
    } else {
      excerpt.hidden = true;
    }
    if (visible) count += 1;
  }
  // Best matches first while searching; the release's order otherwise.
  let order = items;
  if (found !== null) {
    const rank = new Map(Array.from(found.keys(), (id, position) => [id, position]));
    const last = Number.MAX_SAFE_INTEGER;
    order = [...items].sort((a, b) => (rank.get(a.id) ?? last) - (rank.get(b.id) ?? last));
  }
  list.append(...order);
  shown.textContent = String(count);
  writeAddress(query);
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
