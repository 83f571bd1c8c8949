// Tiny DOM helpers. Text is always set with textContent: user data never meets innerHTML.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  append(node, ...children);
  return node;
}

export function append(node, ...children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export const $ = (sel, root = document) => root.querySelector(sel);

// Show an error (or clear it with null) in a region that screen readers announce.
export function showError(node, message) {
  node.textContent = message || "";
  node.hidden = !message;
}

export function humanise(value) {
  return String(value || "").replaceAll("_", " ");
}

// Read a form's named fields into a plain object.
export function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}
