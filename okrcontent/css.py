"""Colours and inline styles as CSS, both ways, for the HTML and Markdown writers and readers.

Writers show a colour as ``rgba(r, g, b, a)`` with the alpha written exactly (``repr``), so
it reads back to the same number. Readers accept what browsers and office suites write:
hex (3, 4, 6 and 8 digits), ``rgb()``/``rgba()`` (commas or spaces, numbers or percents),
``hsl()``/``hsla()`` (any angle unit) and the CSS named colours; style attributes split as
CSS does, around strings, parentheses and comments; lengths in any absolute unit. Reading
is total: any string gives a value or ``None``, never an exception, in one linear pass.
"""

from __future__ import annotations

import colorsys
import math
import re

from .model import Color, TextStyle

__all__ = [
    "NAMED_COLORS",
    "color_css",
    "color_in",
    "colors_key",
    "length_px",
    "number",
    "parse_color",
    "parse_style",
    "style_attribute",
]

_NAMED = (
    "aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff beige f5f5dc "
    "bisque ffe4c4 black 000000 blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a "
    "burlywood deb887 cadetblue 5f9ea0 chartreuse 7fff00 chocolate d2691e coral ff7f50 "
    "cornflowerblue 6495ed cornsilk fff8dc crimson dc143c cyan 00ffff darkblue 00008b "
    "darkcyan 008b8b darkgoldenrod b8860b darkgray a9a9a9 darkgreen 006400 darkgrey a9a9a9 "
    "darkkhaki bdb76b darkmagenta 8b008b darkolivegreen 556b2f darkorange ff8c00 "
    "darkorchid 9932cc darkred 8b0000 darksalmon e9967a darkseagreen 8fbc8f darkslateblue 483d8b "
    "darkslategray 2f4f4f darkslategrey 2f4f4f darkturquoise 00ced1 darkviolet 9400d3 "
    "deeppink ff1493 deepskyblue 00bfff dimgray 696969 dimgrey 696969 dodgerblue 1e90ff "
    "firebrick b22222 floralwhite fffaf0 forestgreen 228b22 fuchsia ff00ff gainsboro dcdcdc "
    "ghostwhite f8f8ff gold ffd700 goldenrod daa520 gray 808080 green 008000 greenyellow adff2f "
    "grey 808080 honeydew f0fff0 hotpink ff69b4 indianred cd5c5c indigo 4b0082 ivory fffff0 "
    "khaki f0e68c lavender e6e6fa lavenderblush fff0f5 lawngreen 7cfc00 lemonchiffon fffacd "
    "lightblue add8e6 lightcoral f08080 lightcyan e0ffff lightgoldenrodyellow fafad2 "
    "lightgray d3d3d3 lightgreen 90ee90 lightgrey d3d3d3 lightpink ffb6c1 lightsalmon ffa07a "
    "lightseagreen 20b2aa lightskyblue 87cefa lightslategray 778899 lightslategrey 778899 "
    "lightsteelblue b0c4de lightyellow ffffe0 lime 00ff00 limegreen 32cd32 linen faf0e6 "
    "magenta ff00ff maroon 800000 mediumaquamarine 66cdaa mediumblue 0000cd mediumorchid ba55d3 "
    "mediumpurple 9370db mediumseagreen 3cb371 mediumslateblue 7b68ee mediumspringgreen 00fa9a "
    "mediumturquoise 48d1cc mediumvioletred c71585 midnightblue 191970 mintcream f5fffa "
    "mistyrose ffe4e1 moccasin ffe4b5 navajowhite ffdead navy 000080 oldlace fdf5e6 olive 808000 "
    "olivedrab 6b8e23 orange ffa500 orangered ff4500 orchid da70d6 palegoldenrod eee8aa "
    "palegreen 98fb98 paleturquoise afeeee palevioletred db7093 papayawhip ffefd5 "
    "peachpuff ffdab9 peru cd853f pink ffc0cb plum dda0dd powderblue b0e0e6 purple 800080 "
    "rebeccapurple 663399 red ff0000 rosybrown bc8f8f royalblue 4169e1 saddlebrown 8b4513 "
    "salmon fa8072 sandybrown f4a460 seagreen 2e8b57 seashell fff5ee sienna a0522d silver c0c0c0 "
    "skyblue 87ceeb slateblue 6a5acd slategray 708090 slategrey 708090 snow fffafa "
    "springgreen 00ff7f steelblue 4682b4 tan d2b48c teal 008080 thistle d8bfd8 tomato ff6347 "
    "turquoise 40e0d0 violet ee82ee wheat f5deb3 white ffffff whitesmoke f5f5f5 yellow ffff00 "
    "yellowgreen 9acd32"
).split()

NAMED_COLORS: dict[str, tuple[int, int, int]] = {
    name: (int(hex_[0:2], 16), int(hex_[2:4], 16), int(hex_[4:6], 16))
    for name, hex_ in zip(_NAMED[::2], _NAMED[1::2], strict=True)
}
"""The CSS named colours (CSS Color Module Level 4)."""


def number(value: float) -> str:
    """A number for markup, exact and short: ``1.0`` -> ``1``, ``0.8`` -> ``0.8``."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def color_css(color: Color) -> str:
    """``rgba(r, g, b, a)``, with the editor's defaults for absent channels."""
    red, green, blue, alpha = color.rgba
    return f"rgba({red}, {green}, {blue}, {number(alpha)})"


def colors_key(style: TextStyle | None) -> tuple[Color | None, Color | None] | None:
    """A run's colours as one value (``None``: it has none), for writers that wrap runs of
    the same colours in one element."""
    if style is None or (style.text_color is None and style.back_color is None):
        return None
    return (style.text_color, style.back_color)


def style_attribute(text_color: Color | None, back_color: Color | None) -> str:
    """The ``style`` attribute value for a run's colours."""
    parts = []
    if text_color is not None:
        parts.append(f"color: {color_css(text_color)}")
    if back_color is not None:
        parts.append(f"background-color: {color_css(back_color)}")
    return "; ".join(parts)


# --- reading ---------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
      "(?:[^"\\]|\\.)*"? | '(?:[^'\\]|\\.)*'?   # strings (one left open runs to the end)
    | /\*.*?(?:\*/|\Z)                         # comments
    | \\.? | [();] | [^"'\\/();]+ | /          # escapes, structure, everything else
    """,
    re.VERBOSE | re.DOTALL,
)
_IMPORTANT = re.compile(r"\s*!\s*important\s*\Z", re.IGNORECASE)
_PLAIN = re.compile(r"[^\"'(\\/]*")  # nothing that hides a semicolon


def _declarations(text: str) -> list[str]:
    """``text`` split at the semicolons that end declarations: not those inside strings,
    parentheses (``url(a;b)``) or comments, which go. One linear pass."""
    if _PLAIN.fullmatch(text):
        return text.split(";")
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for piece in _TOKEN.findall(text):
        if piece == ";" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        if piece == "(":
            depth += 1
        elif piece == ")":
            depth = max(depth - 1, 0)
        elif piece.startswith("/*"):
            piece = " "
        current.append(piece)
    parts.append("".join(current))
    return parts


def parse_style(text: str) -> dict[str, str]:
    """The declarations of a ``style`` attribute, property (lower case) -> value:
    ``'font-family:"a;b"; COLOR: red'`` -> ``{"font-family": '"a;b"', "color": "red"}``.
    A later declaration wins, unless an earlier one is ``!important``."""
    declarations: dict[str, str] = {}
    important: set[str] = set()
    for part in _declarations(text):
        name, colon, value = part.partition(":")
        if not colon:
            continue
        name = name.strip().lower()
        value, marked = _IMPORTANT.subn("", value.strip()) if "!" in value else (value.strip(), 0)
        if name in important and not marked:
            continue
        if marked:
            important.add(name)
        declarations[name] = value
    return declarations


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE)
_DIMENSION = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-z%]*)", re.IGNORECASE)


def _number(text: str) -> float | None:
    """A CSS number; ``None`` if ``text`` is not one. Huge ones are infinite, never an error."""
    return float(text) if _NUMBER.fullmatch(text) else None


_LENGTH_UNITS = {
    "px": 1.0,
    "": 1.0,
    "pt": 4 / 3,
    "pc": 16.0,
    "in": 96.0,
    "cm": 96 / 2.54,
    "mm": 96 / 25.4,
    "q": 96 / 101.6,
    "em": 16.0,
    "rem": 16.0,
    "ch": 8.0,
    "ex": 8.0,
}
"""Length unit -> CSS pixels (``em`` and the like at a 16px font)."""


def length_px(value: str) -> float | None:
    """A CSS length (the first of a value) in pixels; ``None`` if it is not a finite one."""
    match = _DIMENSION.match(value.strip())
    if match is None:
        return None
    scale = _LENGTH_UNITS.get(match.group(2).lower())
    if scale is None:
        return None
    pixels = float(match.group(1)) * scale
    return pixels if math.isfinite(pixels) else None


_ANGLE_UNITS = {"": 1 / 360, "deg": 1 / 360, "turn": 1.0, "rad": 1 / (2 * math.pi), "grad": 1 / 400}
"""Angle unit -> turns."""


def _channel(text: str, scale: float) -> float | None:
    """A colour channel, a number or a percentage of ``scale``; ``none`` is 0."""
    if text == "none":
        return 0.0
    if text.endswith("%"):
        value = _number(text[:-1])
        return None if value is None else value * scale / 100
    return _number(text)


def _byte(value: float) -> int:
    return round(min(max(value, 0.0), 255.0))


def _from_function(name: str, args: str) -> Color | None:
    parts = [p for p in re.split(r"[\s,/]+", args.strip()) if p]
    if len(parts) not in (3, 4):
        return None
    alpha = 1.0 if len(parts) == 3 else _channel(parts[3], 1.0)
    if alpha is None:
        return None
    alpha = min(max(alpha, 0.0), 1.0)
    if name.startswith("rgb"):
        channels = [_channel(p, 255.0) for p in parts[:3]]
        if None in channels:
            return None
        red, green, blue = (_byte(c) for c in channels if c is not None)
        return Color(red, green, blue, alpha)
    hue = _DIMENSION.fullmatch(parts[0])
    scale = _ANGLE_UNITS.get(hue.group(2).lower()) if hue is not None else None
    sat, light = (_channel(p.removesuffix("%"), 1.0) for p in parts[1:3])
    if hue is None or scale is None or sat is None or light is None:
        return None
    turns = float(hue.group(1)) * scale
    if not math.isfinite(turns):
        return None
    r, g, b = colorsys.hls_to_rgb(
        turns % 1.0, min(max(light / 100, 0.0), 1.0), min(max(sat / 100, 0.0), 1.0)
    )
    return Color(_byte(r * 255), _byte(g * 255), _byte(b * 255), alpha)


_FUNCTION = re.compile(r"(rgba?|hsla?)\(\s*([^()]*)\)", re.IGNORECASE)
_HEX = re.compile(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})")


def parse_color(text: str) -> Color | None:
    """A CSS colour value as a :class:`Color`: hex, ``rgb()``/``rgba()`` (commas or spaces,
    numbers or percentages), ``hsl()``/``hsla()`` (``deg``, ``turn``, ``rad``, ``grad``) or
    a name; ``None`` if it is none of these (``transparent``, ``inherit`` and the like mean
    "no colour" here). Any number in it gives a colour or ``None``, never an error."""
    value = text.strip().lower()
    if value.startswith("#"):
        match = _HEX.fullmatch(value)
        if match is None:
            return None
        digits = match.group(1)
        if len(digits) < 6:
            digits = "".join(d * 2 for d in digits)
        alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return Color(int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), alpha)
    named = NAMED_COLORS.get(value)
    if named is not None:
        return Color(*named, 1.0)
    match = _FUNCTION.fullmatch(value)
    return None if match is None else _from_function(match.group(1), match.group(2))


_VALUE_PART = re.compile(r"[a-z-]+\([^()]*\)?|\"[^\"]*\"?|'[^']*'?|[^\s\"'()]+|\S", re.IGNORECASE)


def color_in(value: str) -> Color | None:
    """The colour among the parts of a shorthand value (``background: url("x;y") red``)."""
    color = parse_color(value)
    if color is not None or " " not in value.strip():
        return color
    for part in _VALUE_PART.findall(value):
        color = parse_color(part)
        if color is not None:
            return color
    return None
