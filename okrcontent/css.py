"""Colours and inline styles as CSS, both ways, for the HTML and Markdown writers and readers.

Writers show a colour as ``rgba(r, g, b, a)`` with the alpha written exactly (``repr``), so
it reads back to the same number. Readers accept what browsers and office suites write:
hex (3, 4, 6 and 8 digits), ``rgb()``/``rgba()`` (commas or spaces, numbers or percents),
``hsl()``/``hsla()`` and the CSS named colours.
"""

from __future__ import annotations

import colorsys
import re

from .model import Color, TextStyle

__all__ = [
    "NAMED_COLORS",
    "color_css",
    "colors_key",
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


def parse_style(text: str) -> dict[str, str]:
    """``"color: red; FONT-WEIGHT:bold"`` -> ``{"color": "red", "font-weight": "bold"}``."""
    declarations: dict[str, str] = {}
    for part in text.split(";"):
        name, colon, value = part.partition(":")
        if colon:
            value = re.sub(r"\s*!important\s*$", "", value.strip(), flags=re.IGNORECASE)
            declarations[name.strip().lower()] = value
    return declarations


_FUNCTION = re.compile(r"(rgba?|hsla?)\(\s*([^)]*)\)", re.IGNORECASE)


def _channel(text: str, scale: float) -> float:
    return float(text[:-1]) * scale / 100 if text.endswith("%") else float(text)


def _alpha(text: str | None) -> float:
    if text is None:
        return 1.0
    value = _channel(text, 1.0)
    return min(max(value, 0.0), 1.0)


def _byte(value: float) -> int:
    return min(max(round(value), 0), 255)


def _from_function(name: str, args: str) -> Color | None:
    parts = [p for p in re.split(r"[\s,/]+", args.strip()) if p]
    if len(parts) not in (3, 4):
        return None
    alpha = _alpha(parts[3] if len(parts) == 4 else None)
    if name.startswith("rgb"):
        red, green, blue = (_byte(_channel(p, 255)) for p in parts[:3])
    else:
        hue = float(parts[0].removesuffix("deg")) / 360 % 1.0
        sat, light = (float(p.removesuffix("%")) / 100 for p in parts[1:3])
        r, g, b = colorsys.hls_to_rgb(hue, min(max(light, 0), 1), min(max(sat, 0), 1))
        red, green, blue = _byte(r * 255), _byte(g * 255), _byte(b * 255)
    return Color(red, green, blue, alpha)


def parse_color(text: str) -> Color | None:
    """A CSS colour value as a :class:`Color`; ``None`` if it is not one (or is
    ``transparent``/``inherit``, which mean "no colour" here)."""
    value = text.strip().lower()
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        if len(digits) not in (6, 8) or not re.fullmatch(r"[0-9a-f]+", digits):
            return None
        alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return Color(int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), alpha)
    if value in NAMED_COLORS:
        red, green, blue = NAMED_COLORS[value]
        return Color(red, green, blue, 1.0)
    match = _FUNCTION.fullmatch(value)
    if match:
        try:
            return _from_function(match.group(1), match.group(2))
        except ValueError:
            return None
    return None
