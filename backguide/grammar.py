"""The grammar of a request: the small closed word lists the reading rules need, times
and typos.

The vocabulary (body areas, kinds, places, difficulties, outside topics and
filler words) is the search terms table; these lists are the words the rules
in :mod:`backguide.search` are about (negation, context, clauses, numbers).
"""

from __future__ import annotations

import re

# --- word lists ----------------------------------------------------------------------------

#: Plain negation: leaves out what follows, a body area too ("not my neck").
NOT = ("not", "no", "nothing", "none", "never", "without", "avoid", "avoiding", "except",
       "excluding", "exclude", "skip", "don't", "dont", "do not", "doesn't", "doesnt",
       "anything but", "apart from", "other than", "no more", "rather not", "instead of")
#: What a person cannot do: leaves out a place, position, exercise, kind or difficulty.
CANNOT = ("can't", "cant", "cannot", "can not", "couldn't", "couldnt", "won't", "wont",
          "unable", "not able", "no longer", "trouble", "struggle", "struggles",
          "struggling", "impossible", "hate", "dislike", "too painful to")
#: Like :data:`CANNOT` when a place, an exercise or a kind follows; otherwise they
#: are the difficulty "hard" ("nothing too hard to follow").
HARD_TO = ("hard to", "difficult to", "tricky to", "tough to")
#: After these a place or an activity is when it hurts, not where to exercise.
WHEN = ("when", "whenever", "while", "after", "during", "if", "since", "because", "cause",
        "due to", "prolonged", "hours of", "from", "hurts to", "hurt to", "painful to",
        "sore to", "aches to", "uncomfortable to")
#: Soon after a place, these make it when it hurts ("sitting all day").
HURTS_AFTER = frozenset(("day", "days", "long", "hours", "much", "lot", "hurts", "hurt",
                         "hurting", "aches", "ache", "aching", "painful", "sore", "worse",
                         "makes", "make", "made", "triggers", "aggravates", "bothers", "kills",
                         "killing", "flares", "stiffens"))
_HURTS_SKIP = frozenset(("is", "it", "its", "it's", "too", "for", "a", "my", "me", "the", "up",
                         "down", "all", "really", "very", "gets", "get", "always", "still",
                         "at", "work", "desk", "home", "in", "of", "long"))
#: After these the clause decides whether a place is when it hurts or how to exercise.
SOFT_WHEN = frozenset((("while",), ("whilst",), ("when",), ("whenever",)))
#: Pain words: "pain while standing" is when it hurts.
PAIN = frozenset(("hurt", "hurts", "hurting", "pain", "pains", "painful", "ache", "aches",
                   "aching", "achy", "sore", "worse", "agony", "stiff", "stiffness", "tight",
                   "tightness", "uncomfortable", "discomfort", "twinge", "twinges", "kills",
                   "killing", "bothers", "aggravates", "flares", "throbs", "throbbing"))
#: Words of asking (as are a kind, a difficulty or an exercise's name): "stretches I can
#: do while standing" is how to exercise.
ASK = frozenset(("exercise", "exercises", "exercising", "do", "doing", "done", "something",
                  "anything", "routine", "routines", "workout", "workouts", "moves", "ones",
                  "practice", "session"))
#: Pain or harm words: between a negation and a part they cancel the negation.
HARM = frozenset(("hurt", "hurts", "hurting", "pain", "painful", "pains", "ache", "aches",
                  "aching", "sore", "worse", "worsen", "aggravate", "aggravates", "strain",
                  "strains", "harm", "damage", "injure", "make", "makes", "help", "helps",
                  "work", "works", "bother", "bothers"))
#: Words that end a clause (as do . , ; : ! ? and brackets).
CLAUSE = ("but", "so", "though", "although", "however", "whereas", "yet")
#: Function words: never a request, never a name, skipped inside a phrase.
STOP = frozenset((
    "i", "i'm", "im", "i've", "ive", "i'd", "me", "my", "mine", "myself", "we", "our", "us",
    "you", "your", "he", "she", "his", "her", "they", "their", "it", "it's", "its", "a", "an",
    "the", "this", "that", "these", "those", "there", "here", "to", "of", "in", "on", "at",
    "for", "with", "by", "as", "about", "into", "onto", "up", "down", "out", "off", "over",
    "is", "am", "are", "was", "were", "be", "been", "being", "do", "does", "did", "have", "has",
    "had", "can", "could", "would", "should", "will", "shall", "may", "might", "must",
    "what", "which", "who", "how", "please", "just", "only", "some", "any", "anything",
    "something", "very", "really", "quite", "get", "gets", "got", "getting", "go", "going",
    "want", "wanna", "need", "needs", "like", "try", "ones", "thing", "things", "stuff",
    "than", "then", "each", "per", "more", "less", "much", "many", "all", "too"))
_PUNCT = frozenset(".,;:!?()")
#: Numbers in words, for times ("ten minutes").
NUMBERS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUMBERS |= {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "couple": 2,
            "few": 5}
#: Time units, in minutes.
UNITS = {"minute": 1, "minutes": 1, "min": 1, "mins": 1, "hour": 60, "hours": 60, "hr": 60,
         "hrs": 60, "second": 1 / 60, "seconds": 1 / 60, "sec": 1 / 60, "secs": 1 / 60}
_EACH = (("each",), ("per", "exercise"), ("an", "exercise"), ("a", "exercise"), ("apiece",),
         ("per", "move"), ("each", "exercise"))

#: Body parts the guide has no muscle group for: reported as not understood, never read
#: as the start of an exercise's name ("my knees hurt" is not "Knee roll").
NOT_NAMES = frozenset(("knee", "knees", "heel", "heels", "foot", "feet", "toe", "toes", "hand",
                       "hands", "elbow", "elbows", "wrist", "wrists", "ankle", "ankles", "head",
                       "jaw", "finger", "fingers"))

#: The kinds of :class:`Part` that say where, or which exercise: the ones context can take.
PLACES = ("position", "access", "name")

#: Kinds of search term the grammar may also be read from, should the schema hold them.
_GRAMMAR_KINDS = ("not", "cannot", "when")

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*|[.,;:!?()]")


def tokens(text: str) -> tuple[str, ...]:
    """The words and clause marks of ``text``: lower case, "10min" as "10 min"."""
    text = (text or "").lower().replace("\u2019", "'")
    text = re.sub(r"(\d)([a-z])", r"\1 \2", text)
    return tuple(_TOKEN.findall(text))


def one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one letter added, dropped or changed, or two
    neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    i = next((i for i, (x, y) in enumerate(zip(short, long_)) if x != y), len(short))
    return short[i:] == long_[i + 1:]



def number(toks: tuple[str, ...], i: int) -> tuple[float, int] | None:
    if i >= len(toks):
        return None
    t = toks[i]
    if t.isdigit():
        return float(t), 1
    if t in ("couple", "few") and i and toks[i - 1] == "a":
        return float(NUMBERS[t]), 1 + (i + 1 < len(toks) and toks[i + 1] == "of")
    if t in NUMBERS and t not in ("couple", "few"):
        n = NUMBERS[t]
        if n >= 20 and i + 1 < len(toks) and toks[i + 1] in NUMBERS and NUMBERS[toks[i + 1]] < 10:
            return float(n + NUMBERS[toks[i + 1]]), 2
        return float(n), 1
    if t in ("a", "an") and i + 1 < len(toks) and toks[i + 1] in ("hour", "hr"):
        return 1.0, 1
    return None


def parse_time(toks: tuple[str, ...], i: int) -> tuple[int, float, bool] | None:
    """(tokens covered, minutes, for each exercise) of a time at ``i``, or None."""
    j, minutes = i, None
    for phrase, m in ((("half", "an", "hour"), 30), (("half", "hour"), 30),
                      (("half", "a", "hour"), 30), (("quarter", "of", "an", "hour"), 15),
                      (("quarter", "hour"), 15), (("an", "hour", "and", "a", "half"), 90),
                      (("hour", "and", "a", "half"), 90)):
        if toks[i:i + len(phrase)] == phrase:
            j, minutes = i + len(phrase), float(m)
            break
    if minutes is None:
        first = number(toks, i)
        if first is None:
            return None
        n, j = first[0], i + first[1]
        if j + 1 < len(toks) and toks[j] in ("to", "or") and (second := number(toks, j + 1)):
            n, j = second[0], j + 1 + second[1]
        elif (second := number(toks, j)) and toks[j].isdigit() and toks[i].isdigit():
            n, j = second[0], j + 1  # "10-15 minutes"
        if j >= len(toks) or toks[j] not in UNITS:
            return None
        minutes = n * UNITS[toks[j]]
        j += 1
        if toks[j:j + 3] == ("and", "a", "half"):
            minutes, j = minutes + UNITS[toks[j - 1]] / 2, j + 3
    each = False
    for phrase in sorted(_EACH, key=len, reverse=True):
        if toks[j:j + len(phrase)] == phrase:
            each, j = True, j + len(phrase)
            break
    return j - i, minutes, each

