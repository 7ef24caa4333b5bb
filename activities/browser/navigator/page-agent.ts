// The part of the navigator that runs inside a frame. One self-contained
// function (Playwright serialises it, so it may use nothing from outside its
// own body) that walks the *flat* tree — open shadow roots and slotted
// content included, hidden subtrees skipped — and reports what a person would
// see: fields with their labels and surrounding text, buttons and links with
// their accessible names, error messages, CAPTCHA widgets, whether something
// is still loading. Elements it reports are tagged `data-rekey-id` so the
// Node side can act on them with ordinary Playwright locators (CSS pierces
// open shadow roots).
//
// Nothing here reads input values: only whether a field is empty.

export const MARK_ATTR = 'data-rekey-id';

export interface ScannedField {
  id: string;
  type: string;
  autocomplete: string;
  inputMode: string;
  name: string;
  elementId: string;
  placeholder: string;
  ariaLabel: string;
  label: string;
  title: string;
  minLength: number | null;
  maxLength: number | null;
  pattern: string;
  passwordRules: string;
  disabled: boolean;
  readOnly: boolean;
  empty: boolean;
  ariaInvalid: boolean;
  /** Marker of the enclosing <form> (through shadow roots), if any. */
  formId: string | null;
  /** Marker of the container that holds ≥ 4 one-character boxes with this one (split code inputs). */
  digitGroup: string | null;
  /** Text of the field's container (its card or form), links left out, ≤ 1500 characters. */
  context: string;
}

export interface ScannedAction {
  id: string;
  kind: 'link' | 'button';
  name: string;
  /** Raw href of links (may hold a token: never log it). */
  href: string;
  /** A submit button (button[type=submit], input[type=submit|image], a bare <button> in a form). */
  submits: boolean;
  disabled: boolean;
  formId: string | null;
}

export interface ScannedCaptcha {
  vendor: 'recaptcha' | 'hcaptcha' | 'turnstile' | 'image' | 'unknown';
  /** A widget that must be solved (not an invisible v3 badge). */
  blocking: boolean;
}

export interface FrameScan {
  doc: string;
  title: string;
  path: string;
  text: string;
  headings: string[];
  /** Visible error-looking messages (role=alert, .error, aria-invalid descriptions, red text by fields), outermost only. */
  errors: string[];
  fields: ScannedField[];
  actions: ScannedAction[];
  captcha: ScannedCaptcha | null;
  busy: boolean;
}

export interface Fingerprint {
  key: string;
  busy: boolean;
}

export interface SubmitCandidate {
  id: string;
  name: string;
  score: number;
}

export interface FieldSurroundings {
  minLength: string | null;
  maxLength: string | null;
  pattern: string | null;
  passwordRules: string | null;
  describedBy: string;
  /** Container text without error messages. */
  policyText: string;
  errorText: string;
}

export type AgentRequest =
  | { cmd: 'scan' }
  | { cmd: 'fingerprint' }
  | { cmd: 'submitCandidates'; fieldId: string; prefer: string; avoid: string }
  | { cmd: 'surroundings'; fieldId: string };

/** Runs in the page. Keep it free of imports, closures over module scope and TypeScript-only runtime helpers. */
export function pageAgent(request: AgentRequest): unknown {
  const ATTR = 'data-rekey-id';
  const w = window as unknown as { __rekeySeq?: number; __rekeyDoc?: string };
  if (!w.__rekeyDoc) w.__rekeyDoc = Math.random().toString(36).slice(2);
  const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'svg', 'SELECT', 'OPTION', 'TEXTAREA', 'IFRAME', 'HEAD', 'LINK', 'META']);
  const BLOCK_DISPLAY = /^(block|flex|grid|list-item|table|table-row|table-cell|flow-root)/;
  const visCache = new Map<Element, boolean>();
  const styleCache = new Map<Element, CSSStyleDeclaration>();

  const markOf = (el: Element): string => {
    let v = el.getAttribute(ATTR);
    if (!v) {
      w.__rekeySeq = (w.__rekeySeq ?? 0) + 1;
      v = `r${w.__rekeySeq}`;
      el.setAttribute(ATTR, v);
    }
    return v;
  };
  const style = (el: Element): CSSStyleDeclaration => {
    let s = styleCache.get(el);
    if (!s) {
      s = getComputedStyle(el);
      styleCache.set(el, s);
    }
    return s;
  };
  /** Rendered at all: no display:none / visibility:hidden / opacity:0 on it or above it. */
  const rendered = (el: Element): boolean => {
    const h = el as HTMLElement;
    if (typeof h.checkVisibility !== 'function') return style(el).display !== 'none' && style(el).visibility !== 'hidden';
    return h.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true, opacityProperty: true, visibilityProperty: true } as CheckVisibilityOptions);
  };
  /** Shown on screen: rendered, at least 2×2 px, not parked off-page (honeypots, screen-reader-only text). */
  const visible = (el: Element): boolean => {
    const cached = visCache.get(el);
    if (cached !== undefined) return cached;
    let ok = rendered(el);
    if (ok) {
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) ok = style(el).display === 'contents';
      else if (r.right + window.scrollX < 0 || r.bottom + window.scrollY < 0) ok = false;
    }
    visCache.set(el, ok);
    return ok;
  };
  const parentOf = (node: Node): Element | null => {
    if (node instanceof Element && node.assignedSlot) return node.assignedSlot;
    const p = node.parentNode;
    if (!p) return null;
    if (p instanceof ShadowRoot) return p.host;
    return p instanceof Element ? p : null;
  };
  const childrenOf = (node: Node): Node[] => {
    if (node instanceof Element && node.shadowRoot) return Array.from(node.shadowRoot.childNodes);
    if (node instanceof HTMLSlotElement) {
      const assigned = node.assignedNodes();
      if (assigned.length) return assigned;
    }
    return Array.from(node.childNodes);
  };
  /** Every element in the document and its open shadow roots. */
  const allElements = (): Element[] => {
    const out: Element[] = [];
    const visit = (root: Document | ShadowRoot) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n as Element;
        out.push(el);
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    return out;
  };
  const clean = (s: string) => s.replace(/[ \t\f\v\u00a0\u202f\u200b]+/g, ' ').replace(/\s*\n\s*/g, '\n').replace(/\n{2,}/g, '\n').trim();
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

  /** Visible text of a subtree along the flat tree, with line breaks at blocks; stops after `cap` characters. */
  const textOf = (root: Node, cap: number, skip?: (el: Element) => boolean): string => {
    let out = '';
    const walk = (node: Node) => {
      if (out.length > cap) return;
      if (node.nodeType === Node.TEXT_NODE) {
        out += node.nodeValue ?? '';
        return;
      }
      if (!(node instanceof Element)) {
        if (node instanceof DocumentFragment) for (const c of childrenOf(node)) walk(c);
        return;
      }
      if (SKIP_TAGS.has(node.tagName)) return;
      if (skip && skip(node)) return;
      const s = style(node);
      // Containers may have no box of their own (floats, display:contents): judge them by rendering, not size.
      if (s.display === 'none' || (s.display !== 'contents' && !rendered(node))) return;
      if (node instanceof HTMLInputElement && (node.type === 'submit' || node.type === 'button')) out += ` ${node.value} `;
      const block = BLOCK_DISPLAY.test(s.display) || node.tagName === 'BR';
      if (block) out += '\n';
      for (const c of childrenOf(node)) walk(c);
      if (block) out += '\n';
    };
    walk(root);
    return clean(out).slice(0, cap);
  };
  const isLink = (el: Element) => el.tagName === 'A' && el.hasAttribute('href') && el.getAttribute('role') !== 'button';
  const rootOf = (el: Element) => el.getRootNode() as Document | ShadowRoot;
  const byIdIn = (el: Element, id: string): Element | null => {
    const root = rootOf(el);
    return ('getElementById' in root ? root.getElementById(id) : null) ?? document.getElementById(id);
  };
  const idrefText = (el: Element, attr: string, cap = 300): string =>
    (el.getAttribute(attr) ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => {
        const target = byIdIn(el, id);
        return target ? oneLine(textOf(target, cap)) : '';
      })
      .filter(Boolean)
      .join(' ');
  const closestForm = (el: Element): HTMLFormElement | null => {
    if (el instanceof HTMLInputElement || el instanceof HTMLButtonElement) if (el.form) return el.form;
    for (let p = parentOf(el); p; p = parentOf(p)) if (p instanceof HTMLFormElement) return p;
    return null;
  };
  const HEADING = 'h1,h2,h3,[role=heading]';
  /** querySelector that also looks into open shadow roots below `root`. */
  const deepQuery = (root: Element | ShadowRoot, selector: string): Element | null => {
    const hit = root.querySelector(selector);
    if (hit) return hit;
    for (const el of Array.from(root.querySelectorAll('*'))) {
      if (el.shadowRoot) {
        const inner = deepQuery(el.shadowRoot, selector);
        if (inner) return inner;
      }
    }
    return null;
  };
  const hasHeading = (el: Element): boolean => el.matches(HEADING) || !!deepQuery(el, HEADING) || (!!el.shadowRoot && !!deepQuery(el.shadowRoot, HEADING));
  /** The field's card: climb until the first ancestor with a heading, or until the text grows past `cap`. */
  const containerOf = (el: Element, cap: number): Element => {
    let best: Element = parentOf(el) ?? el;
    for (let p = parentOf(el); p && p !== document.documentElement; p = parentOf(p)) {
      const len = textOf(p, cap + 1, isLink).length;
      if (len > cap) break;
      best = p;
      if (p === document.body) break;
      if (p.tagName !== 'FORM' && hasHeading(p)) break;
    }
    return best;
  };
  const ERROR_CLASS = /(?:^|[\s_-])(?:error|errors|danger|invalid|invalid-feedback|alert-danger|warning|fail|failure|erreur|fehler|err|bad)(?:$|[\s_-])/i;
  const SUCCESS_CLASS = /(?:^|[\s_-])(?:success|succes|ok|good|valid|info|status|confirmation)(?:$|[\s_-])/i;
  const colorOf = (el: Element): [number, number, number] | null => {
    const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(style(el).color);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
  };
  const isRed = (el: Element) => {
    const c = colorOf(el);
    return !!c && c[0] >= 140 && c[0] - Math.max(c[1], c[2]) >= 70;
  };
  const isGreen = (el: Element) => {
    const c = colorOf(el);
    return !!c && c[1] >= 80 && c[1] - Math.max(c[0], c[2]) >= 30;
  };
  const classOf = (el: Element) => `${typeof el.className === 'string' ? el.className : ''} ${el.id}`;
  const errorish = (el: Element): boolean => {
    const cls = classOf(el);
    const role = el.getAttribute('role');
    if (role === 'alert' || el.getAttribute('aria-live') === 'assertive' || ERROR_CLASS.test(cls)) {
      if (SUCCESS_CLASS.test(cls) && !ERROR_CLASS.test(cls.replace(/alert/gi, ''))) return false;
      if (isGreen(el)) return false;
      return true;
    }
    return false;
  };
  const BUSY_CLASS = /(?:^|[\s_-])(?:spinner|loading|loader)(?:$|[\s_-])/i;
  /** A loading indicator on screen: small, no form fields inside. */
  const isBusy = (el: Element): boolean => {
    if (!(el.getAttribute('role') === 'progressbar' || el.getAttribute('aria-busy') === 'true' || BUSY_CLASS.test(classOf(el)))) return false;
    if (!visible(el) || el.querySelector('input,button')) return false;
    const r = el.getBoundingClientRect();
    return r.width * r.height < 250_000 && (el.textContent ?? '').trim().length < 60;
  };
  const FIELD_TYPES = new Set(['', 'text', 'email', 'tel', 'number', 'password', 'url']);
  const num = (v: string | null) => (v !== null && /^\d+$/.test(v.trim()) ? Number(v) : null);
  const labelOf = (input: HTMLInputElement): string => {
    const parts: string[] = [];
    if (input.labels) for (const l of Array.from(input.labels)) parts.push(oneLine(textOf(l, 200, isLink)));
    const lb = idrefText(input, 'aria-labelledby', 200);
    if (lb) parts.push(lb);
    const root = input.getRootNode();
    if (root instanceof ShadowRoot) {
      const host = root.host;
      for (const a of ['label', 'aria-label', 'placeholder', 'name']) {
        const v = host.getAttribute(a);
        if (v) parts.push(v);
      }
    }
    if (!parts.length) {
      // <span>Email</span><input>: a short text right before the field.
      const parent = parentOf(input);
      const t = parent ? oneLine(textOf(parent, 120, (e) => e === input || isLink(e))) : '';
      if (t && t.length <= 80) parts.push(t);
    }
    return parts.join(' ').slice(0, 300);
  };

  if (request.cmd === 'fingerprint') {
    // Polled while waiting, in every frame: native and cheap on purpose. innerText reflects
    // what is rendered (visibility toggles included); shadow roots add their text size.
    const body = document.body ?? document.documentElement;
    const text = (body as HTMLElement).innerText ?? '';
    let shadowText = 0;
    const all = document.getElementsByTagName('*');
    const hosts: Element[] = [];
    for (let i = 0; i < all.length; i++) if (all[i]?.shadowRoot) hosts.push(all[i] as Element);
    while (hosts.length) {
      const root = (hosts.pop() as Element).shadowRoot as ShadowRoot;
      shadowText += (root.textContent ?? '').length + root.childElementCount;
      root.querySelectorAll('*').forEach((el) => {
        if (el.shadowRoot) hosts.push(el);
      });
    }
    let busy = false;
    for (const el of Array.from(document.querySelectorAll('[role=progressbar],[aria-busy=true],[class*=spin],[class*=load]'))) {
      if (isBusy(el)) {
        busy = true;
        break;
      }
    }
    let hash = 0;
    for (let i = 0; i < text.length; i += 3) hash = (hash * 31 + text.charCodeAt(i)) | 0;
    const fp: Fingerprint = {
      key: `${w.__rekeyDoc}|${location.href}|${text.length}:${hash}|${all.length}|${shadowText}|${document.querySelectorAll('input').length}`,
      busy,
    };
    return fp;
  }

  const findMarked = (id: string): Element | null => {
    for (const el of allElements()) if (el.getAttribute(ATTR) === id) return el;
    return null;
  };

  if (request.cmd === 'surroundings') {
    const el = findMarked(request.fieldId);
    if (!(el instanceof HTMLInputElement)) return null;
    const container = containerOf(el, 2000);
    const errors: string[] = [];
    const policyText = textOf(container, 2000, (e) => {
      if (isLink(e)) return true;
      if (errorish(e) && visible(e)) {
        errors.push(oneLine(textOf(e, 500)));
        return true;
      }
      return false;
    });
    const result: FieldSurroundings = {
      minLength: el.getAttribute('minlength'),
      maxLength: el.getAttribute('maxlength'),
      pattern: el.getAttribute('pattern'),
      passwordRules: el.getAttribute('passwordrules'),
      describedBy: [idrefText(el, 'aria-describedby', 1000), idrefText(el, 'aria-details', 1000)].filter(Boolean).join('\n'),
      policyText,
      errorText: errors.filter(Boolean).join('\n'),
    };
    return result;
  }

  if (request.cmd === 'submitCandidates') {
    const field = findMarked(request.fieldId);
    if (!field) return [];
    const prefer = new RegExp(request.prefer, 'i');
    const avoid = new RegExp(request.avoid, 'i');
    const form = closestForm(field);
    const chain: Element[] = [];
    for (let p = parentOf(field); p; p = parentOf(p)) chain.push(p);
    const out: SubmitCandidate[] = [];
    for (const el of allElements()) {
      const tag = el.tagName;
      const role = el.getAttribute('role');
      const isButton =
        tag === 'BUTTON' ||
        (el instanceof HTMLInputElement && (el.type === 'submit' || el.type === 'image' || el.type === 'button')) ||
        role === 'button' ||
        (tag === 'A' && role === 'button');
      if (!isButton || !visible(el)) continue;
      if ((el as HTMLButtonElement).disabled) continue;
      const name = actionName(el);
      if (!name && !(el instanceof HTMLInputElement)) continue;
      let score = 0;
      const elForm = closestForm(el);
      if (form && elForm === form) score += 6;
      else if (form && elForm && elForm !== form) score -= 8;
      // Proximity: how far up from the field the common ancestor is.
      let depth = chain.length;
      for (let p: Element | null = el; p; p = parentOf(p)) {
        const i = chain.indexOf(p);
        if (i >= 0) {
          depth = i;
          break;
        }
      }
      score += Math.max(0, 6 - depth);
      const submits =
        (el instanceof HTMLButtonElement && el.type === 'submit' && !!elForm) ||
        (el instanceof HTMLInputElement && (el.type === 'submit' || el.type === 'image')) ||
        (!!elForm && rootOf(el) instanceof ShadowRoot && (rootOf(el) as ShadowRoot).host.getAttribute('type') === 'submit');
      if (submits) score += 4;
      if (prefer.test(name)) score += 5;
      if (avoid.test(name)) score -= 20;
      if (el instanceof HTMLButtonElement && el.type === 'button' && !prefer.test(name)) score -= 3;
      // Below or beside the field, as submit buttons are.
      const fr = field.getBoundingClientRect();
      const br = el.getBoundingClientRect();
      if (br.top + 4 < fr.top) score -= 2;
      out.push({ id: markOf(el), name: name.slice(0, 120), score });
    }
    return out.sort((a, b) => b.score - a.score).slice(0, 5);
  }

  function actionName(el: Element): string {
    const aria = el.getAttribute('aria-label');
    if (aria && aria.trim()) return oneLine(aria);
    const lb = idrefText(el, 'aria-labelledby', 200);
    if (lb) return lb;
    if (el instanceof HTMLInputElement) return oneLine(el.value || el.getAttribute('alt') || el.title || '');
    const t = oneLine(textOf(el, 200));
    if (t) return t;
    const img = el.querySelector('img[alt]');
    if (img) return oneLine(img.getAttribute('alt') ?? '');
    const svgTitle = el.querySelector('svg title');
    if (svgTitle) return oneLine(svgTitle.textContent ?? '');
    return oneLine(el.getAttribute('title') ?? '');
  }

  // ---- scan ----
  const elements = allElements();
  const fields: ScannedField[] = [];
  const actions: ScannedAction[] = [];
  const errors: string[] = [];
  const errorEls: Element[] = [];
  const headings: string[] = [];
  let busy = false;
  let captcha: ScannedCaptcha | null = null;
  const setCaptcha = (c: ScannedCaptcha) => {
    if (!captcha || (c.blocking && !captcha.blocking) || (captcha.vendor === 'unknown' && c.vendor !== 'unknown' && c.blocking === captcha.blocking)) captcha = c;
  };
  const shown = (el: Element) => style(el).display !== 'none' && style(el).visibility !== 'hidden' && (el as HTMLElement).checkVisibility?.() !== false;

  const digitBoxes = elements.filter(
    (el): el is HTMLInputElement => el instanceof HTMLInputElement && FIELD_TYPES.has(el.type) && el.type !== 'password' && el.maxLength === 1 && visible(el),
  );
  const digitGroupOf = (input: HTMLInputElement): string | null => {
    if (digitBoxes.length < 4) return null;
    for (let p = parentOf(input), up = 0; p && up < 4; p = parentOf(p), up++) {
      const inside = digitBoxes.filter((b) => p.contains(b) || (rootOf(b) instanceof ShadowRoot && p.contains((rootOf(b) as ShadowRoot).host)));
      if (inside.length >= 4) return markOf(p);
    }
    return null;
  };

  for (const el of elements) {
    const tag = el.tagName;
    if (el instanceof HTMLInputElement) {
      if (!FIELD_TYPES.has(el.type) || !visible(el)) continue;
      const form = closestForm(el);
      fields.push({
        id: markOf(el),
        type: el.type,
        autocomplete: (el.getAttribute('autocomplete') ?? '').toLowerCase(),
        inputMode: (el.getAttribute('inputmode') ?? '').toLowerCase(),
        name: el.name ?? '',
        elementId: el.id ?? '',
        placeholder: (el.placeholder ?? '').trim(),
        ariaLabel: el.getAttribute('aria-label') ?? '',
        label: labelOf(el),
        title: el.title ?? '',
        minLength: num(el.getAttribute('minlength')),
        maxLength: num(el.getAttribute('maxlength')),
        pattern: el.getAttribute('pattern') ?? '',
        passwordRules: el.getAttribute('passwordrules') ?? '',
        disabled: el.disabled,
        readOnly: el.readOnly,
        empty: el.value.length === 0,
        ariaInvalid: el.getAttribute('aria-invalid') === 'true',
        formId: form ? markOf(form) : null,
        digitGroup: el.maxLength === 1 ? digitGroupOf(el) : null,
        context: oneLine(textOf(containerOf(el, 1500), 1500, isLink)),
      });
      if (el.getAttribute('aria-invalid') === 'true') {
        const described = idrefText(el, 'aria-errormessage') || idrefText(el, 'aria-describedby');
        if (described) errors.push(described);
      }
      continue;
    }
    const role = el.getAttribute('role');
    const isAction =
      (tag === 'A' && el.hasAttribute('href')) ||
      tag === 'BUTTON' ||
      (el instanceof HTMLInputElement && ['submit', 'button', 'image'].includes((el as HTMLInputElement).type)) ||
      role === 'button' ||
      role === 'link' ||
      role === 'menuitem';
    if (isAction && actions.length < 400 && visible(el)) {
      const form = closestForm(el);
      actions.push({
        id: markOf(el),
        kind: isLink(el) || role === 'link' ? 'link' : 'button',
        name: actionName(el).slice(0, 160),
        href: tag === 'A' ? (el as HTMLAnchorElement).href : '',
        submits:
          (el instanceof HTMLButtonElement && el.type === 'submit' && !!form) ||
          (el instanceof HTMLInputElement && ((el as HTMLInputElement).type === 'submit' || (el as HTMLInputElement).type === 'image')),
        disabled: (el as HTMLButtonElement).disabled === true || el.getAttribute('aria-disabled') === 'true',
        formId: form ? markOf(form) : null,
      });
    }
    if (el.matches(HEADING) && visible(el)) {
      const t = oneLine(textOf(el, 200));
      if (t) headings.push(t);
    }
    if (!busy && isBusy(el)) busy = true;
    if (errorish(el) && visible(el) && !errorEls.some((e) => e.contains(el) || (rootOf(el) instanceof ShadowRoot && e.contains((rootOf(el) as ShadowRoot).host)))) {
      const t = oneLine(textOf(el, 500));
      if (t) {
        errorEls.push(el);
        errors.push(t);
      }
    }
    // CAPTCHA widgets.
    const cls = classOf(el);
    if (tag === 'IFRAME') {
      const src = (el as HTMLIFrameElement).src || '';
      const title = el.getAttribute('title') ?? '';
      const on = shown(el);
      if (/recaptcha\/(?:api2|enterprise)\/(?:anchor|bframe)|google\.com\/recaptcha/i.test(src) || /^recaptcha/i.test(title)) {
        if (on) setCaptcha({ vendor: 'recaptcha', blocking: visible(el) });
      } else if (/hcaptcha\.com/i.test(src) || /hcaptcha/i.test(title)) {
        if (on) setCaptcha({ vendor: 'hcaptcha', blocking: visible(el) });
      } else if (/challenges\.cloudflare\.com/i.test(src) || /cloudflare|turnstile/i.test(title)) {
        if (on) setCaptcha({ vendor: 'turnstile', blocking: true });
      } else if (/arkoselabs|funcaptcha|geetest|captcha/i.test(src + title)) {
        if (on && visible(el)) setCaptcha({ vendor: 'unknown', blocking: true });
      }
    } else if (/(?:^|\s)g-recaptcha(?:\s|$)/.test(cls) && el.hasAttribute('data-sitekey')) {
      if (el.getAttribute('data-size') !== 'invisible' && shown(el)) setCaptcha({ vendor: 'recaptcha', blocking: true });
    } else if (/(?:^|\s)h-captcha(?:\s|$)/.test(cls) && el.hasAttribute('data-sitekey')) {
      if (el.getAttribute('data-size') !== 'invisible' && shown(el)) setCaptcha({ vendor: 'hcaptcha', blocking: true });
    } else if (/(?:^|\s)cf-turnstile(?:\s|$)/.test(cls) || el.id === 'challenge-form' || el.id === 'cf-challenge-running' || el.id === 'challenge-stage') {
      if (shown(el)) setCaptcha({ vendor: 'turnstile', blocking: true });
    } else if (/(?:^|\s)(?:geetest_|arkose|frc-captcha|captcha-container)/i.test(cls) && visible(el)) {
      setCaptcha({ vendor: 'unknown', blocking: true });
    }
  }

  // Red text right by a field: the error messages of sites without roles or classes.
  const fieldEls = fields.map((f) => findMarked(f.id)).filter((x): x is Element => !!x);
  if (fieldEls.length) {
    const containers = new Set<Element>();
    for (const f of fieldEls) {
      const form = closestForm(f);
      containers.add(form ?? parentOf(f) ?? f);
    }
    for (const el of elements) {
      if (errorEls.some((e) => e === el || e.contains(el))) continue;
      if (!/^(P|SPAN|DIV|LI|SMALL|STRONG|EM|B)$/.test(el.tagName)) continue;
      const own = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.nodeValue ?? '').trim().length > 2);
      if (!own || !isRed(el) || !visible(el)) continue;
      let near = false;
      for (const c of containers) if (c.contains(el) || parentOf(c)?.contains(el)) near = true;
      if (!near) continue;
      const t = oneLine(textOf(el, 400));
      if (t && t.length <= 400) {
        errorEls.push(el);
        errors.push(t);
      }
    }
  }

  const text = textOf(document.body ?? document.documentElement, 20_000);
  const scan: FrameScan = {
    doc: w.__rekeyDoc ?? '',
    title: document.title ?? '',
    path: location.pathname + location.hash,
    text,
    headings,
    errors: Array.from(new Set(errors)),
    fields,
    actions,
    captcha,
    busy,
  };
  return scan;
}
