"""Recognising a request to stop messages. It opts the citizen out at once (the inbound
path stores the message as an opt-out and writes the number to the opt-out list before
anything else reads it), so it is deliberately narrow: "kaam band tha" (the work was
stopped), "sms nahi aya" or "wrong number" are not requests to stop.

A reply is a request to stop when
- the whole reply is a stop phrase ("band karo", "پیغامات بند کریں") or starts with
  STOP/UNSUBSCRIBE;
- it says so in words that mean nothing else ("unsubscribe", "opt me out", "do not contact
  me again", "take me off this list", "stop sending", "مزید رابطہ نہ کریں");
- it asks for the citizen's number to be taken off ("mera number hata do", "میرا نمبر ہٹا
  دیں", "delete my number"); or
- it names the messages (sms, msg, text, survey, پیغام, میسج …) and asks for them to stop
  ("ye msg band karo", "sms na bhejain", "I dont want these sms", "مزید میسج نہیں چاہیے").

Words are read in the classifier's normal form (cfmp.feedback.normalise: Arabic letter
forms as Urdu ones, Roman Urdu's spellings brought to one), so "ميسج بهيجنا بند كريں" and
"msg nai chahiye" match like their usual spellings. The classifier (its own module) weighs
everything else."""

from __future__ import annotations

import re

from cfmp.feedback.normalise import tokens

STOP_PHRASES = frozenset(
    {
        "stop",
        "stop sms",
        "stop msg",
        "stop messages",
        "unsubscribe",
        "band",
        "band karo",
        "band karen",
        "band kren",
        "band kro",
        "bnd kro",
        "band kar do",
        "band kardo",
        "sms band",
        "sms band karo",
        "sms band karen",
        "msg band karo",
        "mat bhejo",
        "sms mat bhejo",
        "بند",
        "بند کرو",
        "بند کریں",
        "بند کر دیں",
        "بند کر دو",
        "ایس ایم ایس بند کریں",
        "پیغام بند کریں",
        "پیغامات بند کریں",
        "میسج بند کریں",
        "مت بھیجو",
        "مت بھیجیں",
        "اسٹاپ",
        "سٹاپ",
        "سٹاپ کریں",
        "اسٹاپ کریں",
    }
)
# Words of courtesy or insistence around a stop phrase ("please stop", "i said STOP",
# "بس stop کرو").
COURTESY = frozenset(
    tokens(
        "please pls plz plzz kindly sir ji jee bhai yaar yar ab bas now i said it karo kro "
        "kar krdo kardo do dein den karein kren shukriya بس اب کرو کریں کر دیں دو جی شکریہ"
    )
)
FIRST_WORDS = frozenset({"stop", "stopp", "unsubscribe", "unsub", "stopall"})

# Said in words that mean nothing but "stop contacting me" (as space-joined token runs).
_UNMISTAKABLE = (
    r"unsubscribe|unsub|ان سبسکرایب|opt out|optout|opt me out|mujhe remove\w*"
    r"|do not contact|dont contact|don t contact|never contact|stop contacting"
    r"|do not call|dont call me|don t call me"
    r"|take me off|take my number off|remove me|delete me|remove my number|delete my number"
    r"|block my number|remove this number|delete this number"
    r"|stop sending|stop messaging|stop msging|stop texting|quit sending|stop these"
    r"|(?:rabta|contact|رابطہ) (?:na|mat|نہ|مت) (?:kar|kr|کر)\w*"
    r"|(?:never|dont|don t|do not) (?:\w+ ){0,4}(?:contact|text|message|msg|sms|call)\w*"
    r"(?: me)? (?:again|anymore|any more)"
)
# The messages a citizen may ask to stop.
_MESSAGES = (
    r"sms|smss|msg|msgs|mesg|message|messages|messeges|msges|text|texts|txt|texting|survey"
    r"|surveys|alerts|paigham|pegham|paighamat|پیغام|پیغامات|میسج|میسجز|مسیج|میسیج|ایس ایم ایس"
    r"|سروے|پیغام رسانی|سلسلہ"
)
# …and the words that ask for them to stop. "band" and "stop" need the messages beside
# them ("kaam band tha" is a complaint), and "band", "off" or "khatam" a verb of asking
# after them or the reply's end ("counter band tha, sms ka kya faida" asks nothing);
# "na"/"mat" need a verb of sending or doing in the imperative after them ("na bhejo",
# "mat karna", "نہ کیا کریں"), never "nahi" ("kaam nahi karwaya" is a complaint).
_STOP_THEM = (
    r"stop|end|cancel|no more|روکیں|روکو|روک"
    r"|(?:band|bnd|bund|bandh|off|khatam|block|بند|ختم|بلاک)"
    r"(?: (?:karo|kro|karen|karein|kren|krein|karain|krain|kar|kr|krdo|kardo|kardein|krdein"
    r"|karna|kijiye|kijye"
    r"|کرو|کریں|کر|کیجیے|کیجئے|کرنا|کی)|$)"
    r"|(?:mat|na|مت|نہ) (?:\w+ )?(?:bhej\w*|send\w*|kiya kar\w*|kia kar\w*"
    r"|kar(?:o|na|ni|nay|ein|en|ain|ien|iye|iyega|ega)|kr(?:o|na|ni|ein|en|ain|ien)"
    r"|بھیج\w*|کرو|کریں|کرنا|کیجی\w*|کیا کر\w*)"
    r"|موصول نہ|nahi (?:\w+ )?chaht\w*|نہیں (?:\w+ )?چاہت\w*"
    r"|nahi chahiy?\w*|nahi chahye|zaroorat nahi|zarurat nahi|نہیں چاہی\w*|ضرورت نہیں"
    r"|dont want|do not want|don t want|dont send|do not send|don t send"
    r"|dont msg|dont text|don t text|dont disturb|don t disturb"
)
# The citizen's own number ("mera number", "this number", "میرا نمبر"), and the words that
# ask for it to be taken off a list; a number is not the citizen's when it is not said to
# be ("token number nikal ke diya" is not a request).
_OWN_NUMBER = r"(?:mera|meri|mere|my|is|this|ye|yeh|میرا|میرے|اس|یہ) (?:\w+ )?(?:number|num|نمبر)"
_TAKE_OFF = (
    r"hata|hatao|htao|hatain|hatayen|hatadein|hatado|nikal|nikalo|nikalen|nikalein|nikaliye"
    r"|nikalain|remove\w*|delete\w*|khatam kar\w*|khatam kr\w*|block kar\w*|block kr\w*"
    r"|خارج کی\w*|خارج کر\w*|حذف|ہٹا|ہٹائیں|ہٹایں|ہٹاو|نکال|نکالیں|نکالو|بلاک کر\w*"
)
# "remove kr do number": the English verbs of taking off need no "my".
_REMOVE_NUMBER = (
    r"(?:remove|delete)\w*(?: \w+){0,3} number|number(?: \w+){0,3} (?:remove|delete)\w*"
)


# Every pattern above needs one of these words: a reply with none (most replies) is not
# searched at all, so the stop rule costs a set look-up per word on the classifier's path.
_TRIGGERS = frozenset(
    tokens(
        _MESSAGES.replace("|", " ")
        + " number num نمبر unsubscribe unsub سبسکرایب opt optout remove delete contact"
        " contacted contacting rabta رابطہ take stop quit block call calls calling called"
        " text texted texting message messaged messaging msg msging sms"
    )
)


def _any(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^| )(?:{pattern})(?= |$)")


_UNMISTAKABLE_RE = _any(_UNMISTAKABLE)
_MESSAGES_RE = _any(_MESSAGES)
_STOP_THEM_RE = _any(_STOP_THEM)
_OWN_NUMBER_RE = _any(_OWN_NUMBER)
_TAKE_OFF_RE = _any(_TAKE_OFF)
_REMOVE_NUMBER_RE = _any(_REMOVE_NUMBER)


def is_opt_out_request(text: str, *, words: list[str] | None = None) -> bool:
    """True if the reply asks for messages to stop. `words`, when given, are the reply's
    tokens as cfmp.feedback.normalise.tokens made them (so the classifier normalises each
    reply once)."""
    if words is None:
        words = tokens(text)
    words = [w for w in words if w.isalnum() or " " in w]  # punctuation and signs dropped
    if not words:
        return False
    reply = " ".join(words)
    plain = " ".join(w for w in words if w not in COURTESY)
    if reply in STOP_PHRASES or plain in STOP_PHRASES or words[0] in FIRST_WORDS:
        return True
    if not any(w in _TRIGGERS for w in words):
        return False
    if _UNMISTAKABLE_RE.search(reply):
        return True
    if (_OWN_NUMBER_RE.search(reply) and _TAKE_OFF_RE.search(reply)) or _REMOVE_NUMBER_RE.search(
        reply
    ):
        return True
    return bool(_MESSAGES_RE.search(reply) and _STOP_THEM_RE.search(reply))
