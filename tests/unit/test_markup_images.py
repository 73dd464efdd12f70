"""Image links and galleries: option parsing, sizing, the bad image list, the files a page uses.

The parser-test site (tests/conformance/adapter.py) has MediaWiki's mock files: Foobar.jpg
(1941x220), Thumb.png (135x135), Foobar.svg (240x180), Bad.jpg (on the bad image list),
LoremIpsum.djvu (2480x3508, 5 pages), Audio.oga; its thumbnails default to 180 px.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.conformance.adapter import MOCK_FILES, context
from tests.unit.markup_cases import html, rendered
from wiki.markup import render
from wiki.markup.context import FileFacts
from wiki.markup.gallery import MAX_LINES
from wiki.markup.imagesize import (
    fit_box_width,
    parse_bad_image_list,
    parse_options,
    parse_width,
    php_number,
    php_round,
    responsive,
    scale_height,
    transform,
)

JPG, SVG, DJVU, PNG = (MOCK_FILES[n] for n in ("Foobar.jpg", "Foobar.svg", "LoremIpsum.djvu", "Thumb.png"))
UP = "/images"
BAD_LIST = {
    "MediaWiki:Bad image list": "* [[File:Bad.jpg]] except on [[Gallery page]]\n"
    "not a list line [[File:Thumb.png]]"
}


# --- arithmetic ---------------------------------------------------------------------------------
def test_php_round_takes_halves_away_from_zero():
    assert (php_round(2.5), php_round(3.5), php_round(-2.5)) == (3, 4, -3)
    assert php_round(135, -1) == 140  # upright on 180 px: 0.75 * 180 rounded to tens
    assert php_round(165, -1) == 170


def test_heights_and_box_widths_follow_mediawiki():
    assert scale_height(1941, 220, 180) == 20
    assert scale_height(0, 220, 180) == 0
    assert fit_box_width(1941, 220, 20) == 177  # 200x20px: the height decides
    assert fit_box_width(1941, 220, 180) == 1589


def test_php_number_prints_floats_as_php():
    assert php_number(155.0) == "155"
    assert php_number(1589 / 1.5) == "1059.3333333333"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("200", {"width": 200}),
        ("200px", {"width": 200}),  # from "200pxpx"
        ("200x100", {"width": 200, "height": 100}),
        ("x100", {"width": 0, "height": 100}),
        ("", {}),
        ("abc", {}),
        ("70em", {}),
    ],
)
def test_parse_width(value, expected):
    assert parse_width(value) == expected


# --- options ------------------------------------------------------------------------------------
def test_unknown_options_are_the_caption_and_the_last_wins():
    params = parse_options(["right", "first", "200px", "second"], JPG)
    assert params.caption == "second"
    assert params.frame["align"] == "right"
    assert params.handler == {"width": 200}


def test_first_alignment_and_first_format_win():
    params = parse_options(["left", "right", "frameless", "thumb", "frame"], JPG)
    assert params.frame["align"] == "left"
    assert "frameless" in params.frame and "thumbnail" not in params.frame
    assert params.caption == "frame"  # a second format is not an option: it is text


def test_upright_takes_no_value_or_a_number():
    assert parse_options(["upright"], JPG).frame["upright"] is None
    assert parse_options(["upright=0.5"], JPG).frame["upright"] == "0.5"
    bad = parse_options(["upright=big"], JPG)
    assert "upright" not in bad.frame and bad.caption == "upright=big"


def test_height_only_and_both_sizes():
    assert parse_options(["x50px"], JPG).handler == {"height": 50}
    assert parse_options(["100x50px"], JPG).handler == {"width": 100, "height": 50}
    assert parse_options(["0px"], JPG).caption == "0px"


def test_handler_options_depend_on_the_file_type():
    assert parse_options(["lang=de"], SVG).handler == {"lang": "de"}
    assert parse_options(["lang=de"], JPG).caption == "lang=de"
    assert parse_options(["lang=invalid:code"], SVG).caption == "lang=invalid:code"
    assert parse_options(["page=3"], DJVU).handler == {"page": "3"}
    assert parse_options(["page=3 shows a map"], DJVU).caption == "page=3 shows a map"
    assert parse_options(["page=3"], JPG).caption == "page=3"


def test_manual_thumbnail_counts_as_the_format():
    params = parse_options(["thumb=Thumb.png", "frame", "cap"], JPG)
    assert params.frame["manualthumb"] == "Thumb.png" and "framed" not in params.frame


# --- sizing -------------------------------------------------------------------------------------
def test_a_bitmap_is_never_made_bigger_than_its_original():
    thumb = transform(UP, JPG, 2000)
    assert thumb is not None
    assert thumb.url == "/images/3/3a/Foobar.jpg" and (thumb.width, thumb.height) == (2000, 227)


def test_file_urls_encode_the_name_as_rawurlencode_does():
    # Commas and brackets are encoded in file URLs (File::getUrlRel), not in the file page's link.
    named = dataclasses.replace(JPG, name="Lincoln,_1846_(crop).jpg")
    thumb = transform(UP, named, 180)
    assert thumb is not None and thumb.url.endswith(
        "/Lincoln%2C_1846_%28crop%29.jpg/180px-Lincoln%2C_1846_%28crop%29.jpg"
    )


def test_a_bitmap_thumbnail_and_its_responsive_copies():
    thumb = transform(UP, JPG, 180)
    assert thumb is not None and thumb.url == "/images/thumb/3/3a/Foobar.jpg/180px-Foobar.jpg"
    srcset = responsive(UP, JPG, thumb, 180, None, None, "")
    assert srcset == (
        "/images/thumb/3/3a/Foobar.jpg/270px-Foobar.jpg 1.5x, "
        "/images/thumb/3/3a/Foobar.jpg/360px-Foobar.jpg 2x"
    )
    # copies at the original's size are the original: listed once, and never as the image itself
    small = transform(UP, PNG, 135)
    assert small is not None and responsive(UP, PNG, small, 135, None, None, "") == ""


def test_a_drawing_scales_freely_to_png():
    thumb = transform(UP, SVG, 2000)
    assert thumb is not None
    assert thumb.url == "/images/thumb/f/ff/Foobar.svg/2000px-Foobar.svg.png"
    assert (thumb.width, thumb.height) == (2000, 1500)
    other = transform(UP, SVG, 180, lang="de")
    assert other is not None and other.url.endswith("/langde-180px-Foobar.svg.png")


def test_a_paged_file_has_page_thumbnails_clamped_to_its_pages():
    thumb = transform(UP, DJVU, 180, page=9)
    assert thumb is not None and thumb.page == 5
    assert thumb.url.endswith("/LoremIpsum.djvu/page5-180px-LoremIpsum.djvu.jpg")


def test_invalid_sizes_make_no_thumbnail():
    assert transform(UP, JPG, 0) is None
    assert transform(UP, FileFacts("Empty.png", 0, 0, "image/png"), 100) is None


# --- the bad image list -------------------------------------------------------------------------
def test_bad_image_list_reads_list_lines_and_exceptions():
    ctx = context()
    bad = parse_bad_image_list(BAD_LIST["MediaWiki:Bad image list"], ctx.site.parse_title)
    assert bad == {"Bad.jpg": frozenset({"Gallery page"})}


def test_a_bad_image_is_a_link_except_on_its_exception_pages():
    assert html("[[File:Bad.jpg]]", articles=BAD_LIST) == (
        '<p><a href="/wiki/File:Bad.jpg" title="File:Bad.jpg">File:Bad.jpg</a>\n</p>'
    )
    shown = html("[[File:Bad.jpg]]", title="Gallery page", articles=BAD_LIST)
    assert '<img alt="Bad.jpg" src="http://example.com/images/0/09/Bad.jpg"' in shown
    # a caption is the link's text; a thumbnail keeps its frame and caption around the link
    assert '<a href="/wiki/File:Bad.jpg" title="File:Bad.jpg">a cap</a>' in html(
        "[[File:Bad.jpg|a cap]]", articles=BAD_LIST
    )
    framed = html("[[File:Bad.jpg|thumb|a cap]]", articles=BAD_LIST)
    assert (
        '<a href="/wiki/File:Bad.jpg" title="File:Bad.jpg">File:Bad.jpg</a>' in framed
        and "<img" not in framed
    )
    assert '<div class="thumbcaption">a cap</div>' in framed
    assert rendered("[[File:Bad.jpg]]", articles=BAD_LIST).images == ["Bad.jpg"]


# --- pages --------------------------------------------------------------------------------------
def test_default_thumbnail_width_is_the_sites():
    ctx = context()
    ctx.site = dataclasses.replace(ctx.site, thumb_width=220)
    out = render("[[File:Foobar.jpg|thumb|cap]]\n[[File:Foobar.jpg|thumb|upright]]", ctx).html
    assert 'style="width:222px;"' in out and 'width="220" height="25"' in out
    assert 'style="width:172px;"' in out  # upright: 0.75 * 220 = 165, rounded to 170


def test_images_lists_every_file_used_once_in_order():
    text = (
        "[[File:Thumb.png]] [[Media:Foobar.svg]] [[File:Missing.jpg|thumb|x]] [[File:Thumb.png|left]]"
        " [[:File:Foobar.jpg]]\n<gallery>\nFile:Gallery one.jpg\nNot a file|x\n</gallery>"
    )
    out = rendered(text)
    # the gallery is made first (an extension tag), then the links in their order
    assert out.images == ["Gallery_one.jpg", "Not_a_file", "Thumb.png", "Foobar.svg", "Missing.jpg"]
    assert "File:Foobar.jpg" in out.links  # [[:File:]] is a page link


def test_file_look_ups_are_batched():
    calls: list[list[str]] = []

    def files(names):
        names = list(names)
        calls.append(names)
        return {n: MOCK_FILES[n] for n in names if n in MOCK_FILES}

    ctx = context()
    ctx.files = files
    render("[[File:Foobar.jpg]] [[Image:Thumb.png|thumb]] [[Media:Nothing.png]] [[:File:Foobar.svg]]", ctx)
    assert calls == [["Foobar.jpg", "Foobar.svg", "Nothing.png", "Thumb.png"]]


def test_a_link_to_the_page_of_an_uploaded_file_is_blue():
    assert html("[[:File:Foobar.jpg]]") == (
        '<p><a href="/wiki/File:Foobar.jpg" title="File:Foobar.jpg">File:Foobar.jpg</a>\n</p>'
    )


def test_files_that_are_not_images_are_linked():
    assert html("[[File:Audio.oga|thumb]]") == (
        '<p><a href="/wiki/File:Audio.oga" title="File:Audio.oga">File:Audio.oga</a>\n</p>'
    )


def test_a_paged_file_shows_the_page_asked_for():
    out = html("[[File:LoremIpsum.djvu|page=2|thumb|cap]]")
    assert "/thumb/5/5f/LoremIpsum.djvu/page2-180px-LoremIpsum.djvu.jpg" in out
    assert 'href="/index.php?title=File:LoremIpsum.djvu&amp;page=2" class="image"' in out


def test_vertical_alignment_and_border():
    out = html("[[File:Thumb.png|middle|border|50px]]")
    assert 'style="vertical-align: middle"' in out and 'class="thumbborder"' in out


def test_an_unclosed_image_with_links_in_its_caption_stays_text():
    out = html("[[File:Thumb.png|thumb|see [[Main Page]] and more")
    assert out.startswith("<p>[[File:Thumb.png|thumb|see <a ") and "<img" not in out


# --- galleries ----------------------------------------------------------------------------------
def test_gallery_per_row_sets_a_maximum_width():
    out = html('<gallery perrow="2" widths="100">\nFile:Foobar.jpg\n</gallery>')
    assert '<ul class="gallery mw-gallery-traditional" style="max-width: 286px;">' in out


def test_packed_gallery_sizes():
    out = html('<gallery mode="packed">\nFile:Thumb.png|cap\n</gallery>')
    # asked 1.5 times 120 px high: the original (135 px) is shown at 180 / 1.5 = 120 px
    assert 'src="http://example.com/images/e/ea/Thumb.png"' in out
    assert 'width="120" height="120"' in out and 'style="width: 122px"' in out


def test_unknown_gallery_mode_is_traditional_and_lines_are_bounded():
    out = html('<gallery mode="sideways">' + "File:Thumb.png\n" * (MAX_LINES + 5) + "</gallery>")
    assert "mw-gallery-traditional" in out
    assert out.count('class="gallerybox"') == MAX_LINES


def test_filepath_gives_the_url_of_a_file_or_of_its_thumbnail():
    out = rendered("{{filepath:Foobar.jpg|nowiki}} {{filepath:Foobar.jpg|nowiki|80}} [{{filepath:Nope.jpg}}]")
    assert (
        "http://example.com/images/3/3a/Foobar.jpg "
        "http://example.com/images/thumb/3/3a/Foobar.jpg/80px-Foobar.jpg []"
    ) in out.html
    assert out.images == []  # as in MediaWiki: {{filepath:}} is no use of the file


def test_a_missing_file_puts_the_page_in_the_broken_file_category():
    assert rendered("[[File:Nope.jpg]] [[Category:A]]").categories == [
        ("A", ""),
        ("Pages_with_broken_file_links", ""),
    ]
    assert rendered("<gallery>\nNope.png\n</gallery>").categories == [("Pages_with_broken_file_links", "")]
    assert rendered("[[File:Foobar.jpg]] [[Media:Nope.jpg]]").categories == []


def test_absurd_sizes_render_without_failing():
    out = html(
        "[[File:Foobar.jpg|thumb|upright=1e400]] [[File:Foobar.jpg|" + "9" * 50 + "px]]\n"
        '<gallery perrow="' + "9" * 40 + '" widths="' + "9" * 40 + '">\nFoobar.jpg\n</gallery>'
    )
    assert 'width="9223372036854775807"' in out  # PHP's intval() stops at PHP_INT_MAX
    assert out.count('class="gallerybox"') == 1 and 'class="thumbinner"' in out


def test_a_manual_thumbnail_is_named_without_its_namespace():
    out = html("[[File:Foobar.jpg|thumb=File:Thumb.png]]")  # names File:File:Thumb.png
    assert "Error creating thumbnail" in out
