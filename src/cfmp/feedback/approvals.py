"""Short replies that say all is well (issue 17): "mutmain", "1 shukriya", "ٹھیک ہے",
"all good", "koi shikayat nahi". Read by rule: each is a word or two of approval, a bare
"1" before them, or a complaint denied, and nothing else. A reply with any other word
("acha, 2000 le kar kaam kiya", "theek nahi", "great, still waiting") is left to the
model, so sarcasm is never read as satisfied here; praise under a negation and nothing
else ("nahi mutmain", "not happy") is read as dissatisfied. The lists are
normalised like the replies (cfmp.feedback.normalise), so every spelling matches."""

from __future__ import annotations

from cfmp.feedback.normalise import tokens


def _normalised(words: str) -> frozenset[str]:
    return frozenset(token for word in words.split() for token in tokens(word))


# Each alone says the citizen is content.
APPROVALS = _normalised(
    """
    theek thik thk theik tik acha achha acchha achaa achi achay ache
    shukriya shukria shukran thanks thank thanku thankyou thx ty tnx mutmain satisfied
    happy good gud great excellent best fine perfect nice zabardast behtareen behtreen
    kamal alhamdulillah alhamdulilah mashallah mashaallah jazakallah jazakallahkhair shabash
    khush sahi bahtar behtar satisfactory smooth shukar thak
    شکر ٹھیک شکریہ مطمئن اچھا اچھی اچھے بہترین زبردست الحمدللہ ماشاءاللہ جزاک شاباش خوش
    صحیح سہی کمال بہتر
    """
)
# Words that carry no verdict of their own around an approval. "ok" alone acknowledges
# the message as often as it approves (the corpus keeps it unclear); beside an approval or
# the survey's "1" it is part of the approval.
FILLER = _normalised(
    """
    ok okay okk okey 1 sir ji g jee bhai sb sab sahab sahib hai hy he h tha thi the thay ho
    gaya gya hogaya hua bohat bht bahut boht bhot very v so all everything sara kuch kaam service
    experience tajurba system staff was is it its and aur tou to mera meri my bilkul mam
    madam hun hoon hn bhi khair overall raha rha rhi rahi totally fully 100 pura poora
    really quite super bohot hi yes haan han jee khuda allah ka
    سر جی بھائی صاحب سب ہے ہیں تھا تھی تھے ہو گیا گئی ہوا بہت کام سروس تجربہ سسٹم عملہ
    اور تو میرا میری بالکل ہوں بھی خیر رہا رہی پورا ہی ہاں اللہ خدا کا
    """
)
# "No complaint", "koi masla nahi", "کوئی شکایت نہیں": a complaint named only to deny it.
COMPLAINT_NOUNS = _normalised(
    """
    shikayat shikayet complaint complaints masla masail problem problems issue issues
    pareshani takleef mushkil
    شکایت مسئلہ مسائل پریشانی تکلیف مشکل
    """
)
DENIALS = _normalised("koi nahi nahin no none zero not never any kisi کوئی نہیں کسی نہ")
NEGATIONS = _normalised("nahi nahin nai nhi na no not never نہیں نہ")
MAX_WORDS = 6


def is_short_approval(words: list[str]) -> bool:
    """True for a reply of a few words that says all is well and nothing else: approvals
    and filler only, or a complaint named only to be denied."""
    if len(words) > 2 * MAX_WORDS:  # most replies: no need to look further
        return False
    words = [w for w in words if any(c.isalnum() for c in w)]
    if not words or len(words) > MAX_WORDS:
        return False
    if all(w in APPROVALS or w in FILLER for w in words):
        # A word of approval, or the survey's "1" (satisfied) with a word of courtesy.
        return words[0] == "1" or any(w in APPROVALS for w in words)
    denied = [w for w in words if w in DENIALS]
    named = [w for w in words if w in COMPLAINT_NOUNS]
    rest = [w for w in words if w not in DENIALS and w not in COMPLAINT_NOUNS]
    return bool(denied and named) and all(w in APPROVALS or w in FILLER for w in rest)


def is_negated_approval(words: list[str]) -> bool:
    """ "nahi mutmain", "theek nahi tha", "not happy", "ٹھیک نہیں": a word of approval under
    a negation, and nothing else: dissatisfied, never satisfied."""
    if len(words) > 2 * MAX_WORDS:  # most replies: no need to look further
        return False
    words = [w for w in words if any(c.isalnum() for c in w)]
    if not words or len(words) > MAX_WORDS or any(w in COMPLAINT_NOUNS for w in words):
        return False
    negated = [w for w in words if w in NEGATIONS]
    rest = [w for w in words if w not in NEGATIONS]
    return (
        bool(negated)
        and any(w in APPROVALS for w in rest)
        and all(w in APPROVALS or w in FILLER for w in rest)
    )
