"""Fill a demo wiki through its API (mwclient-free, requests): users, edits, watches, talk, an upload."""
# ruff: noqa: E501 - the demo article is wikitext, one paragraph per line

import io
import sys

import requests
from PIL import Image, ImageDraw

BASE = sys.argv[1]
API = BASE + "/w/api.php"


def client(name=None, password=None):
    s = requests.Session()
    if name:
        t = s.get(API, params={"action": "query", "meta": "tokens", "type": "login", "format": "json"}).json()
        r = s.post(
            API,
            data={
                "action": "login",
                "lgname": name,
                "lgpassword": password,
                "lgtoken": t["query"]["tokens"]["logintoken"],
                "format": "json",
            },
        ).json()
        assert r["login"]["result"] == "Success", r
    s.csrf = s.get(API, params={"action": "query", "meta": "tokens", "format": "json"}).json()["query"][
        "tokens"
    ]["csrftoken"]
    return s


def post(s, **p):
    p.setdefault("format", "json")
    p.setdefault("token", s.csrf)
    r = s.post(API, data=p).json()
    assert "error" not in r, r
    return r


def create(name, password):
    s = requests.Session()
    t = s.get(
        API, params={"action": "query", "meta": "tokens", "type": "createaccount", "format": "json"}
    ).json()
    r = s.post(
        API,
        data={
            "action": "createaccount",
            "username": name,
            "password": password,
            "retype": password,
            "createtoken": t["query"]["tokens"]["createaccounttoken"],
            "createreturnurl": BASE,
            "format": "json",
        },
    ).json()
    assert r.get("createaccount", {}).get("status") == "PASS", r


PW = "amber-lantern-93"
create("Alice", PW)
create("Bob", PW)
admin = client("Admin", "quiet-harbour-lamp-77")
alice = client("Alice", PW)
bob = client("Bob", PW)
flag = "Large Language Model (LLM) Innovation Milestone"
for title in (flag, "GPT-3", "Transformer architecture", "BERT"):
    post(admin, action="watch", titles=title)
post(
    alice,
    action="edit",
    title="GPT-3",
    appendtext="\n\nAlice added a sentence about few-shot prompting.",
    summary="/* Context */ few-shot note",
)
post(
    bob,
    action="edit",
    title="BERT",
    appendtext="\n\nBob's note on masked language modelling.",
    summary="clarify [[masked language model]]",
    minor=1,
)
post(
    alice,
    action="edit",
    title="Transformer architecture",
    appendtext="\n\nA further remark.",
    summary="expand",
)
post(
    bob,
    action="edit",
    title="User talk:Admin",
    section="new",
    sectiontitle="Question about milestones",
    text="Should Claude 3 be listed before Gemini? ~~~~",
    summary="",
)
# An image and an article that uses it with footnotes.
img = Image.new("RGB", (1200, 800), (40, 90, 160))
d = ImageDraw.Draw(img)
for i in range(0, 1200, 60):
    d.line([(i, 0), (1200 - i, 800)], fill=(240, 200, 60), width=6)
buf = io.BytesIO()
img.save(buf, "JPEG")
buf.seek(0)
r = admin.post(
    API,
    data={
        "action": "upload",
        "filename": "Attention_diagram.jpg",
        "text": "A diagram of attention lines.",
        "comment": "demo upload",
        "token": admin.csrf,
        "format": "json",
        "ignorewarnings": 1,
    },
    files={"file": ("Attention_diagram.jpg", buf, "image/jpeg")},
).json()
assert r.get("upload", {}).get("result") == "Success", r
article = """[[File:Attention diagram.jpg|thumb|upright|The attention pattern of a toy [[Transformer architecture|transformer]].]]
'''Self-attention''' lets every token of a sequence weigh every other token.<ref name="vaswani">Vaswani et al., ''Attention Is All You Need'', NeurIPS 2017.</ref>
It replaced recurrence in most [[language model]]s after 2018.<ref>Devlin et al., ''BERT'', 2018.</ref>

== Mechanism ==
Queries, keys and values are projections of the same input.<ref name="vaswani"/> The scores are scaled by the square root of the key size.

[[File:Attention diagram.jpg|left|180px|A smaller copy]]
Multi-head attention runs several such maps side by side.

== References ==
<references/>
"""
post(
    alice,
    action="edit",
    title="Self-attention (demo)",
    text=article,
    summary="demo article with a thumbnail and footnotes",
)
print("ok")
