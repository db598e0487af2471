/** Finding the page's elements by id, failing loudly when the HTML and the script disagree. */

export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`The demo page has no <${type.name}> with id "${id}".`);
  return element;
}

/** A new element with text (never HTML: what the outbox and tokens hold is shown, not interpreted). */
export function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { className?: string; text?: string } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className !== undefined) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  element.append(...children);
  return element;
}
