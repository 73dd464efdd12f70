"""The preprocessor, a port of MediaWiki's: templates, arguments, parser functions, magic words.

`preprocess.expand(text, ctx, state)` is the entry point; the modules, in the order text meets them:

- `scan`: wikitext -> preprocessor nodes (Preprocessor_Hash's brace matching, comments,
  extension tags, include-control tags, heading lines);
- `tree`: the node classes (Template, Arg, Comment, ExtTag, Heading) the scan builds;
- `expander`: expands nodes in frames, with MediaWiki's depth, node-count and size limits;
- `transclude`: `{{...}}` in MediaWiki's order: subst:, variables, msgnw:, parser functions,
  then templates (redirects followed, loops detected);
- `parserfunctions`: the dispatcher and the core functions ({{lc:}}, {{ns:}}, {{#tag:}}, {{int:}});
- `logic`: the ParserFunctions extension (#if, #ifeq, #switch, #ifexist, #time, ...);
- `expr`: {{#expr:}} arithmetic; `timefmt`: {{#time:}} format codes;
- `textfunctions`: the core functions that compute text (URLs, numbers, padding, anchors, plurals);
- `magicwords`: magic variables ({{PAGENAME}}, {{CURRENTYEAR}}, ...);
- `messages`: the English interface messages {{int:}} and MediaWiki: pages fall back to;
- `names`: title and escaping helpers shared by the modules above.
"""
