"""Words customers use for categories, colours and sizes, in Dutch and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A category or colour: its label per language and every word that means it."""

    en: str
    nl: str
    words: tuple[str, ...]

    def label(self, language: str) -> str:
        """The label shown to a customer in that language."""
        return self.nl if language == "nl" else self.en


CATEGORIES: dict[str, Term] = {
    "dresses": Term(
        "dresses",
        "jurken",
        ("dress", "dresses", "jurk", "jurken", "jurkje", "jurkjes", "kleed", "kleedje", "kleedjes"),
    ),
    "knitwear": Term(
        "knitwear",
        "breigoed",
        (
            "knitwear",
            "sweater",
            "sweaters",
            "jumper",
            "jumpers",
            "pullover",
            "cardigan",
            "trui",
            "truien",
            "pull",
            "pulls",
            "breigoed",
            "vest",
            "vestje",
        ),
    ),
    "jeans": Term(
        "jeans",
        "jeans",
        ("jeans", "denim", "spijkerbroek", "spijkerbroeken", "jeansbroek", "broek", "pants"),
    ),
    "coats": Term(
        "coats and jackets",
        "jassen",
        ("coat", "coats", "jacket", "jackets", "raincoat", "jas", "jassen", "jasje", "regenjas"),
    ),
    "shirts": Term(
        "shirts and blouses",
        "blouses en overhemden",
        ("shirt", "shirts", "blouse", "blouses", "overhemd", "overhemden", "top", "topje"),
    ),
    "accessories": Term(
        "accessories",
        "accessoires",
        (
            "accessory",
            "accessories",
            "accessoire",
            "accessoires",
            "scarf",
            "sjaal",
            "belt",
            "riem",
            "hat",
            "muts",
            "bag",
            "tas",
        ),
    ),
    "trousers": Term(
        "trousers", "broeken", ("trousers", "pants", "broek", "broeken", "pantalon", "chino")
    ),
    "skirts": Term("skirts", "rokken", ("skirt", "skirts", "rok", "rokken", "rokje")),
    "shoes": Term(
        "shoes",
        "schoenen",
        ("shoe", "shoes", "schoen", "schoenen", "sneaker", "sneakers", "boots", "laarzen"),
    ),
    "earrings": Term(
        "earrings",
        "oorbellen",
        ("earring", "earrings", "oorbel", "oorbellen", "jewellery", "sieraden"),
    ),
    "underwear": Term(
        "underwear",
        "ondergoed",
        ("underwear", "ondergoed", "bra", "beha", "briefs", "slip", "slips", "lingerie"),
    ),
}

COLORS: dict[str, Term] = {
    "black": Term("black", "zwart", ("black", "zwart", "zwarte")),
    "white": Term("white", "wit", ("white", "wit", "witte")),
    "ecru": Term("ecru", "ecru", ("ecru", "offwhite", "cream", "creme")),
    "grey": Term("grey", "grijs", ("grey", "gray", "grijs", "grijze")),
    "navy": Term("navy", "marineblauw", ("navy", "marineblauw", "marineblauwe", "donkerblauw")),
    "blue": Term("blue", "blauw", ("blue", "blauw", "blauwe", "lichtblauw")),
    "red": Term("red", "rood", ("red", "rood", "rode")),
    "terracotta": Term("terracotta", "terracotta", ("terracotta", "roestbruin")),
    "pink": Term("pink", "roze", ("pink", "roze", "rose")),
    "sage": Term("sage", "saliegroen", ("sage", "saliegroen", "saliegroene")),
    "green": Term("green", "groen", ("green", "groen", "groene")),
    "camel": Term("camel", "camel", ("camel",)),
    "brown": Term("brown", "bruin", ("brown", "bruin", "bruine")),
    "beige": Term("beige", "beige", ("beige", "zand")),
    "mustard": Term("mustard", "okergeel", ("mustard", "okergeel", "geel", "gele", "yellow")),
    "gold": Term("gold", "goud", ("gold", "golden", "goud", "gouden")),
    "silver": Term("silver", "zilver", ("silver", "zilver", "zilveren")),
}

# Informal, Flemish and regional words customers type, as the catalogue word they mean. Applied to
# queries, so products seeded before a word was added are found by it too.
INFORMAL_WORDS: dict[str, str] = {
    "kleed": "jurk",
    "kleedje": "jurk",
    "kleedjes": "jurken",
    "kleedeke": "jurk",
    "jurkske": "jurk",
    "pull": "trui",
    "pulls": "truien",
    "jeansbroek": "jeans",
    "jeansbroeken": "jeans",
    "spijker": "spijkerbroek",
    "kazak": "jas",
    "frak": "jas",
    "sjaaltje": "sjaal",
    "sjalleke": "sjaal",
    "topke": "top",
    "hemdje": "overhemd",
    "hemd": "overhemd",
    "botten": "laarzen",
    "bottines": "laarzen",
    "sneakertjes": "sneakers",
    "tshirt": "shirt",
    "tee": "shirt",
    "trainers": "sneakers",
}

# How customers name letter sizes; waist and shoe sizes are plain numbers.
SIZE_WORDS: dict[str, str] = {
    "extra small": "XS",
    "xsmall": "XS",
    "small": "S",
    "klein": "S",
    "medium": "M",
    "middel": "M",
    "large": "L",
    "groot": "L",
    "extra large": "XL",
    "xlarge": "XL",
    "one size": "ONE SIZE",
    "onesize": "ONE SIZE",
}


def informal_word(word: str) -> str:
    """The catalogue word an informal or Flemish word stands for ("kleedje" -> "jurk")."""
    return INFORMAL_WORDS.get(word, word)


def singular_forms(word: str) -> list[str]:
    """Candidate singulars of a plural: "sneakers" -> "sneaker", "rokken" -> "rok".

    Only candidates: the caller keeps those the catalogue knows.
    """
    forms = []
    for suffix in ("tjes", "jes", "es", "en", "s"):
        stem = word.removesuffix(suffix)
        if stem != word and len(stem) >= 3:
            forms.append(stem)
            # Dutch doubles the consonant of a short vowel: "rokken" -> "rok".
            if suffix == "en" and len(stem) >= 4 and stem[-1] == stem[-2]:
                forms.append(stem[:-1])
    return forms


def color_key(text: str) -> str | None:
    """The colour key a customer's word means ("rode" -> "red"), if any."""
    word = text.strip().lower()
    for key, term in COLORS.items():
        if word == key or word in term.words:
            return key
    return None


def color_label(key: str, language: str) -> str:
    """A stored colour key in the customer's language."""
    term = COLORS.get(key)
    return term.label(language) if term else key


def category_label(key: str, language: str) -> str:
    """A stored category key in the customer's language."""
    term = CATEGORIES.get(key)
    return term.label(language) if term else key


def normalise_size(text: str) -> str:
    """A customer's size ("medium", "maat m", "W30") as stored ("M", "30")."""
    value = " ".join(text.strip().lower().replace("-", " ").split())
    for prefix in ("maat ", "size ", "waist ", "w"):
        if value.startswith(prefix) and value.removeprefix(prefix).strip():
            rest = value.removeprefix(prefix).strip()
            if prefix != "w" or rest.isdigit():
                value = rest
    return SIZE_WORDS.get(value, value.upper())
