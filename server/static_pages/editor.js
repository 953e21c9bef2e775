// The query editor: YASGUI on this server's endpoint, the analysts' queries as examples, and
// names from the graph completed where an IRI or a name goes. Loaded as a file, never inline,
// so the page's policy can forbid inline script; its settings come in a JSON block.
(function () {
  const config = JSON.parse(document.getElementById("ckg-config").textContent);
  const byName = Object.fromEntries(config.examples.map((e) => [e.name, e]));
  const endpoint = new URL(config.endpoint, window.location.href).href;
  const plain = document.getElementById("plain-query");

  // What the open completion list stands for, so that each hint can show a name and insert an IRI.
  const shown = new Map();

  /** What is being typed at the cursor, if it can be a name: "<kha" (an IRI begun), '"Kha' (a
   * string begun) or a bare word where the grammar takes an IRI. */
  function typedName(yasqe) {
    const cursor = yasqe.getDoc().getCursor();
    const line = yasqe.getDoc().getLine(cursor.line).slice(0, cursor.ch);
    const begun = /(<|")([^<>"\\:]*)$/.exec(line);
    if (begun && /\S{2}/.test(begun[2]) && !/^\s/.test(begun[2])) {
      const before = line.slice(0, begun.index);
      const quotes = (before.match(/"/g) || []).length;
      if (begun[1] === '"' && quotes % 2 === 0) return { kind: "label", text: begun[2], start: begun.index, closer: '"' };
      if (begun[1] === "<") return { kind: "iri", text: begun[2], start: begun.index, closer: ">" };
      return null;
    }
    const token = yasqe.getCompleteToken();
    const word = /(^|[\s{(.;,/|^])([A-Za-z\u00C0-\uFFFF][\w\u00C0-\uFFFF-]+)$/.exec(line);
    if (!word || !token || token.end !== cursor.ch) return null;
    const expected = token.state && token.state.possibleCurrent;
    if (!expected || !expected.includes("IRI_REF") || !expected.includes("VAR1")) return null;
    const lower = word[2].toLowerCase();
    if (expected.some((terminal) => terminal.toLowerCase().startsWith(lower))) return null;  // a keyword begun
    return { kind: "iri", text: word[2], start: cursor.ch - word[2].length, closer: null };
  }

  const entities = {
    name: "entities",
    bulk: false,
    autoShow: true,
    isValidCompletionPosition: (yasqe) => typedName(yasqe) !== null,
    // The whole name typed so far is the token, wherever the grammar's own token would end.
    preProcessToken: (yasqe, token) => {
      const typed = typedName(yasqe);
      if (!typed) return null;
      const cursor = yasqe.getDoc().getCursor();
      const closed = typed.closer && yasqe.getDoc().getLine(cursor.line).charAt(cursor.ch) === typed.closer;
      const end = closed ? cursor.ch + 1 : cursor.ch;  // a closer typed ahead is replaced, not doubled
      return { ...token, string: typed.text, autocompletionString: typed.text, typed: typed,
               from: { line: cursor.line, ch: typed.start }, to: { line: cursor.line, ch: end } };
    },
    get: async (yasqe, token) => {
      const answer = await fetch(config.complete + "?prefix=" + encodeURIComponent(token.autocompletionString));
      if (!answer.ok) return [];
      const { names } = await answer.json();
      shown.clear();
      return names.map((name) => {
        const inserted = token.typed.kind === "label" ? JSON.stringify(name.label) : "<" + name.iri + ">";
        shown.set(inserted, name);
        return inserted;
      });
    },
    // Each hint shows the name and what it is; choosing it inserts the IRI (or the quoted name).
    postprocessHints: (yasqe, hints) => hints.map((hint) => {
      const name = shown.get(hint.text);
      return name ? { ...hint, className: "ckg-entity-hint", displayText: name.label + " — " + name.type + "  " + hint.text }
                  : hint;
    }),
  };

  let yasgui = null;
  if (window.Yasgui) {
    Yasgui.Yasqe.defaults.autocompleters = ["variables"];  // the others ask prefix.cc and LOV online
    Yasgui.Yasqe.registerAutocompleter(entities);
    yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
      persistenceId: "ckg-editor",
      yasqe: { value: config.firstQuery },
    });
    yasgui.getTab().setEndpoint(endpoint);
    document.getElementById("fallback").hidden = true;
  }
  document.getElementById("examples").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-name]");
    if (!button) return;
    const example = byName[button.dataset.name];
    if (yasgui) {
      const tab = yasgui.addTab(true, { name: example.name });
      tab.setEndpoint(endpoint);
      tab.setQuery(example.query);
    } else {
      plain.value = example.query;
    }
  });
})();
