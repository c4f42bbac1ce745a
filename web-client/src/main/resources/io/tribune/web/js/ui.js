// Small DOM helpers. Text always goes in through textContent (never innerHTML), so names and messages
// from other people cannot inject markup.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * Puts one node per item into `parent`, in the items' order, reusing the node an item had before while its
 * `version` is the same. A list rebuilt wholesale on every update replaces the button under the pointer between
 * press and release (the click is lost) and drops the keyboard focus; a reused node keeps both.
 */
export function reconcile(parent, items) {
  const previous = parent.keyedNodes || new Map();
  const next = new Map();
  items.forEach(({ key, version, build }, index) => {
    const kept = previous.get(key);
    const entry = kept && kept.version === version ? kept : { version, node: build() };
    next.set(key, entry);
    if (parent.children[index] !== entry.node) parent.insertBefore(entry.node, parent.children[index] || null);
  });
  while (parent.children.length > items.length) parent.lastElementChild.remove();
  parent.keyedNodes = next;
  return next;
}

/** Text with its http(s) links as anchors; everything else stays plain text. */
export function linkified(text) {
  const fragment = document.createDocumentFragment();
  const pattern = /https?:\/\/[^\s<>"']+/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    fragment.append(document.createTextNode(text.slice(last, match.index)));
    fragment.append(el('a', { href: match[0], target: '_blank', rel: 'noopener noreferrer', text: match[0] }));
    last = match.index + match[0].length;
  }
  fragment.append(document.createTextNode(text.slice(last)));
  return fragment;
}

export function toast(message) {
  const box = document.getElementById('toast');
  const item = el('div', { class: 'msg', text: message });
  box.append(item);
  setTimeout(() => item.remove(), 4000);
}

/** Replaces the page's content and moves focus there (keyboard and screen-reader users land on the page). */
export function show(...children) {
  const main = document.getElementById('main');
  main.className = '';
  main.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  const heading = main.querySelector('h1');
  (heading || main).setAttribute('tabindex', '-1');
  (heading || main).focus();
  return main;
}

export function field(label, input) {
  const id = input.id || ('f-' + Math.random().toString(36).slice(2));
  input.id = id;
  return el('div', { class: 'field' }, el('label', { for: id, text: label }), input);
}

export function formError() {
  return el('p', { class: 'error', role: 'alert' });
}

/** Runs an async form action with the button disabled, showing the API's message on failure. */
export async function submitting(button, errorBox, action) {
  button.disabled = true;
  errorBox.textContent = '';
  try {
    await action();
  } catch (error) {
    errorBox.textContent = error.message || String(error);
  } finally {
    button.disabled = false;
  }
}

export function when(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
