"""Short replies that say all is well (issue 17): "mutmain", "1 shukriya", "ٹھیک ہے",
"all good", "koi shikayat nahi". Read by rule: each is a word or two of approval, a bare
"1" before them, or a complaint denied, and nothing else. A reply with any other word
("acha, 2000 le kar kaam kiya", "theek nahi", "great, still waiting") is left to the
model, so sarcasm is never read as satisfied here; praise under a negation and nothing
else ("nahi mutmain", "not happy"), a word of disapproval ("bad experience") or a
complaint named and not denied ("shikayat hai") is read as dissatisfied; a greeting or an
acknowledgement and nothing else ("good night", "jee sir") as unclear. The lists are
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
    really quite super bohot hi yes haan han jee khuda allah ka hain hui huwa hoa at
    thi rha hay hae am i we hum are about of for
    سر جی بھائی صاحب سب ہے ہیں تھا تھی تھے ہو گیا گئی ہوا بہت کام سروس تجربہ سسٹم عملہ
    اور تو میرا میری بالکل ہوں بھی خیر رہا رہی پورا ہی ہاں اللہ خدا کا ہوئی ہم
    """
)
# "No complaint", "koi masla nahi", "کوئی شکایت نہیں": a complaint named only to deny it.
COMPLAINT_NOUNS = _normalised(
    """
    shikayat shikayet complaint complaints complain masla masail problem problems issue issues
    pareshani takleef mushkil
    شکایت مسئلہ مسائل پریشانی تکلیف مشکل
    """
)
DENIALS = _normalised(
    "koi nahi nahin no none zero not never any kisi nothing nothin کوئی نہیں کسی نہ"
)
NEGATIONS = _normalised("nahi nahin nai nhi na no not never نہیں نہ")
MAX_WORDS = 6
# Each alone says the citizen is not content ("bad experience", "overall bekaar", "۲ بیکار").
DISAPPROVALS = _normalised(
    """
    bad bekaar bekar worst poor ghatiya ganda bura buri terrible pathetic useless fazool
    wahiyat disappointing disappointed naraz
    بیکار برا بری گھٹیا فضول بدترین ناقص ناراض
    """
)
# Filler that names the staff: their being bad is misbehaviour, left to the model.
STAFF = _normalised("staff عملہ")
# Words around a complaint named, not denied: "shikayat hai", "I have a complaint".
AFFIRMING = _normalised("2 i have a want to meri mera karni darj ek aik hai ہے میری ایک")
# Greetings, wishes and blessings say nothing of the service: alone, the reply is unclear
# ("good night" is not "good"; "اللہ حافظ" is not "الحمدللہ").
GREETINGS = _normalised(
    """
    salam salaam slam wsalam walaikum alaikum aoa assalam asalam assalamualaikum aslam o
    wa rahmatullah hello hi hy hey helo hallo good morning night evening afternoon day
    allah khuda hafiz happy new year eid jumma juma ramzan ramadan mubarak inshallah
    insha subhanallah subhan sir ji bhai jaan sb sab ko
    سلام السلام علیکم وعلیکم اللہ خدا حافظ ہیلو عید جمعہ رمضان مبارک ان شاء انشاءاللہ سبحان
    سر جی بھائی جان
    """
)
# Yes, ok, sir: an answer to the message, not a verdict on the service.
ACKNOWLEDGEMENTS = _normalised(
    """
    ok okay okk okey k kk g ji jee haan han hmm hm yes yeah yup sir bhai sahab sahib madam
    mam جی ہاں سر جناب بھائی صاحب اوکے
    """
)
# Words that make a reply a greeting rather than a run of filler.
GREETING_CORE = _normalised(
    """
    salam salaam slam wsalam walaikum alaikum aoa assalam asalam assalamualaikum aslam
    hello hi hey helo hallo morning night evening afternoon hafiz mubarak inshallah insha year
    subhanallah subhan
    سلام علیکم وعلیکم حافظ ہیلو مبارک انشاءاللہ سبحان شاء
    """
)


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


def is_short_disapproval(words: list[str]) -> bool:
    """ "bad experience", "overall bekaar", "۲ بیکار", "shikayat hai", "I have a complaint":
    a word of disapproval, or a complaint named and not denied, and nothing else but
    filler — dissatisfied, though it does not say with what."""
    if len(words) > 2 * MAX_WORDS:
        return False
    words = [w for w in words if any(c.isalnum() for c in w)]
    if not words or len(words) > MAX_WORDS:
        return False
    if any(w in NEGATIONS or w in DENIALS or w in STAFF or w in APPROVALS for w in words):
        return False
    verdict = [w for w in words if w in DISAPPROVALS or w in COMPLAINT_NOUNS]
    rest = [w for w in words if w not in DISAPPROVALS and w not in COMPLAINT_NOUNS]
    return bool(verdict) and all(w in FILLER or w in AFFIRMING for w in rest)


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


def says_nothing_of_the_service(words: list[str]) -> bool:
    """ "..", "k", "3", "jee sir", "ok?", "good night", "Allah hafiz sir", "jumma mubarak",
    "سبحان اللہ": no word, a lone letter or a number other than the survey's 1 and 2
    (read before this), an acknowledgement, or a greeting, wish or blessing, and nothing
    else. (An acknowledgement is not an approval: the corpus keeps "ji", "ok", "yes?"
    unclear, while "1 ji" is the survey's 1.)"""
    if len(words) > 2 * MAX_WORDS:
        return False
    words = [w for w in words if any(c.isalnum() for c in w)]
    if not words:
        return True
    if len(words) > MAX_WORDS:
        return False
    if len(words) == 1 and (len(words[0]) == 1 or words[0].isdigit()):
        return True
    if all(w in ACKNOWLEDGEMENTS for w in words):
        return True
    return all(w in GREETINGS or w in ACKNOWLEDGEMENTS for w in words) and any(
        w in GREETING_CORE for w in words
    )


# "1 galti se", "pressed 1 by mistake", "۱ غلطی سے": the survey's 1 taken back.
MISTAKES = _normalised(
    """
    galti ghalti galati ghalati galthi mistake mistakenly typo wrong galat ghalat accidentally
    accident oops غلطی غلط
    """
)


def takes_back_the_one(words: list[str]) -> bool:
    """True when the reply holds the survey's "1" and says it was a mistake ("1 galti se
    daba diya", "pressed 1 by mistake, …", "۱ غلطی سے"): whatever else it says, it is not
    the citizen's word that all was well."""
    return "1" in words and any(w in MISTAKES for w in words)


# "wrong number", "ghalat banda", "یہ میرا نمبر نہیں": the message reached someone who had no
# service, said in a few words.
_WRONG_PERSON = tuple(
    tuple(tokens(phrase))
    for phrase in (
        "wrong number",
        "wrong no",
        "wrong person",
        "ghalat number",
        "galat number",
        "ghalat banda",
        "ghalat bande",
        "kisi aur ka number",
        "not my number",
        "غلط نمبر",
        "غلط بندے",
        "غلط بندہ",
        "کسی اور کا نمبر",
        "میرا نمبر نہیں",
    )
)
WRONG_PERSON_MAX_WORDS = 8


def says_wrong_person(words: list[str]) -> bool:
    """True for a short reply that says the message reached the wrong person ("wrong no
    h", "sorry u have the wrong number", "غلط نمبر"): the service was not theirs. A longer
    reply is left to the model ("mera number ghalat likha hai" is a complaint, and says
    it in another order)."""
    words = [w for w in words if any(c.isalnum() for c in w)]
    if not words or len(words) > WRONG_PERSON_MAX_WORDS:
        return False
    return any(
        tuple(words[n : n + len(phrase)]) == phrase
        for phrase in _WRONG_PERSON
        for n in range(len(words) - len(phrase) + 1)
    )
