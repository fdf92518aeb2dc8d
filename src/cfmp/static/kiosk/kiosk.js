// The kiosk: a citizen picks the service, rates it with one big button, may add an amount,
// a comment (on-screen keyboard, Urdu or English), a number for a call back and their
// fingerprint, and sends. Every visit gets its own id and goes into an outbox kept on the
// device (localStorage); the outbox is delivered whenever the network allows and emptied
// only of what the server has answered for, so a visit is never lost, and the server's
// id check makes a visit sent twice count once.
(function () {
  "use strict";

  const API = document.body.dataset.api;
  const KEY = "cfmp.kiosk.key";
  const CONFIG = "cfmp.kiosk.config";
  const OUTBOX = "cfmp.kiosk.outbox";
  const LANGUAGE = "cfmp.kiosk.language";
  const IDLE_MS = 60000;
  const FLUSH_MS = 10000;
  // Answers after which a visit leaves the outbox: stored, stored before, or never storable.
  const SETTLED = new Set(["created", "duplicate", "refused"]);

  const TEXT = {
    ur: {
      enrol_title: "کیوسک کا اندراج", enrol_help: "سیکرٹریٹ کا دیا ہوا کوڈ درج کریں۔",
      enrol_button: "اندراج کریں", enrol_failed: "یہ کوڈ درست نہیں یا استعمال ہو چکا ہے۔",
      welcome: "اپنی رائے دیں", welcome_help: "آپ کو ابھی ملنے والی سرکاری خدمت کیسی رہی؟",
      start: "شروع کریں", which_service: "آپ نے کون سی خدمت حاصل کی؟",
      how_was_it: "آپ کا تجربہ کیسا رہا؟", satisfied: "مطمئن", money: "پیسے مانگے گئے",
      delay: "تاخیر", behaviour: "بدسلوکی", other: "کوئی اور مسئلہ",
      tell_more: "مزید بتانا چاہیں تو (اختیاری)", amount: "کتنے روپے؟", comment: "کیا ہوا؟",
      mobile: "واپس کال کے لیے موبائل نمبر", scan: "انگوٹھا اسکینر پر رکھیں",
      scanned: "انگوٹھا پڑھ لیا گیا", send: "بھیجیں", cancel: "واپس",
      thanks: "آپ کی رائے کا شکریہ", sent: "آپ کی رائے بھیج دی گئی ہے۔",
      kept: "نیٹ ورک بحال ہوتے ہی آپ کی رائے بھیج دی جائے گی۔",
      refused: "یہ رائے قبول نہیں ہوئی: ", online: "آن لائن", offline: "آف لائن",
      waiting: "بھیجنے کے منتظر: ", revoked: "یہ کیوسک بند کر دیا گیا ہے۔",
      space: "خالی جگہ", other_language: "English",
    },
    en: {
      enrol_title: "Enrol this kiosk", enrol_help: "Enter the code the secretariat gave you.",
      enrol_button: "Enrol", enrol_failed: "That code is not valid or was already used.",
      welcome: "Give your feedback", welcome_help: "How was the government service you just received?",
      start: "Start", which_service: "Which service did you receive?",
      how_was_it: "How was it?", satisfied: "Satisfied", money: "Money was demanded",
      delay: "Delay", behaviour: "Bad behaviour", other: "Another problem",
      tell_more: "Tell us more if you wish (optional)", amount: "How many rupees?",
      comment: "What happened?", mobile: "Mobile number for a call back",
      scan: "Place your thumb on the scanner", scanned: "Thumb read",
      send: "Send", cancel: "Back", thanks: "Thank you for your feedback",
      sent: "Your feedback has been sent.",
      kept: "Your feedback will be sent as soon as the network returns.",
      refused: "This feedback was not accepted: ", online: "online", offline: "offline",
      waiting: "waiting to be sent: ", revoked: "This kiosk has been switched off.",
      space: "space", other_language: "اردو",
    },
  };
  const KEYS = {
    ur: ["آ ا ب پ ت ٹ ث ج چ ح خ", "د ڈ ذ ر ڑ ز ژ س ش ص ض", "ط ظ ع غ ف ق ک گ ل م ن", "ں و ہ ھ ء ی ے ۔ ، ؟"],
    en: ["q w e r t y u i o p", "a s d f g h j k l", "z x c v b n m , . ?"],
    digits: ["1 2 3", "4 5 6", "7 8 9", "0"],
  };

  let language = localStorage.getItem(LANGUAGE) || "ur";
  let visit = null;
  let field = null;
  let idleTimer = null;

  const $ = (selector) => document.querySelector(selector);
  const t = (name) => TEXT[language][name] || name;
  const read = (name, fallback) => JSON.parse(localStorage.getItem(name) || JSON.stringify(fallback));
  const write = (name, value) => localStorage.setItem(name, JSON.stringify(value));

  function translate() {
    document.documentElement.lang = language;
    document.documentElement.dir = language === "ur" ? "rtl" : "ltr";
    document.querySelectorAll("[data-t]").forEach((node) => { node.textContent = t(node.dataset.t); });
    $("#language").textContent = t("other_language");
    renderServices();
    showStatus();
  }

  function show(name) {
    document.querySelectorAll(".screen").forEach((screen) => { screen.hidden = screen.id !== "screen-" + name; });
  }

  function renderServices() {
    const config = read(CONFIG, null);
    const box = $("#services");
    box.textContent = "";
    if (!config) return;
    $("#office").textContent = config.office.name;
    config.services.forEach((service) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "service";
      button.dataset.service = service.code;
      button.textContent = language === "ur" ? service.name_ur : service.name;
      box.appendChild(button);
    });
  }

  function showStatus() {
    const waiting = read(OUTBOX, []).length;
    const state = navigator.onLine ? t("online") : t("offline");
    $("#status").textContent = waiting ? `${state} · ${t("waiting")}${waiting}` : state;
    $("#status").dataset.waiting = String(waiting);
  }

  function headers() {
    return {
      "Content-Type": "application/json",
      "Authorization": "Kiosk " + localStorage.getItem(KEY),
      "X-Kiosk-Time": new Date().toISOString(),
    };
  }

  async function enrol() {
    const code = $("#enrol-code").value.trim();
    try {
      const response = await fetch(API + "enrol", {
        method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({code}),
      });
      if (!response.ok) throw new Error(t("enrol_failed"));
      const body = await response.json();
      localStorage.setItem(KEY, body.key);
      delete body.key;
      write(CONFIG, body);
      translate();
      restart();
    } catch (problem) {
      $("#enrol-error").textContent = t("enrol_failed");
    }
  }

  function restart() {
    visit = null;
    field = null;
    $("#keyboard").hidden = true;
    ["#amount", "#comment", "#mobile"].forEach((id) => { $(id).value = ""; });
    $("#scan-state").textContent = "";
    show(localStorage.getItem(KEY) ? "welcome" : "enrol");
  }

  function newVisit() {
    // A secure context (HTTPS, or localhost) is needed for the service worker anyway.
    const id = crypto.randomUUID();
    // The office it was given at travels with it: an outbox carried to another office's
    // enrolment is refused, not credited there.
    const office = read(CONFIG, {office: {code: ""}}).office.code;
    visit = {client_id: id, given_at: new Date().toISOString(), fingerprint: "", office};
  }

  // The scanner: a vendor's driver may provide window.CFMPScanner.capture() (a base64
  // template); without one, the simulator stands in (a made-up CNIC per citizen).
  function scanner() {
    if (window.CFMPScanner) return window.CFMPScanner;
    if (read(CONFIG, {}).fingerprint_simulator) {
      return {capture: async () => btoa("SIM:" + Array.from({length: 13}, () => Math.floor(Math.random() * 10)).join(""))};
    }
    return null;  // no scanner: the step is not offered
  }

  async function scan() {
    visit.fingerprint = await scanner().capture();
    $("#scan-state").textContent = t("scanned");
  }

  function openKeyboard(input) {
    field = input;
    const layout = input.dataset.keyboard === "digits" ? KEYS.digits : KEYS[language];
    const board = $("#keyboard");
    board.textContent = "";
    board.dir = input.dataset.keyboard === "digits" || language === "en" ? "ltr" : "rtl";
    layout.forEach((row) => {
      const line = document.createElement("div");
      row.split(" ").forEach((key) => line.appendChild(keyButton(key, key)));
      board.appendChild(line);
    });
    const last = document.createElement("div");
    if (input.dataset.keyboard !== "digits") last.appendChild(keyButton(" ", t("space"), "wide"));
    last.appendChild(keyButton("\b", "⌫"));
    board.appendChild(last);
    board.hidden = false;
  }

  function keyButton(value, label, extra) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "key" + (extra ? " " + extra : "");
    button.dataset.key = value;
    button.textContent = label;
    return button;
  }

  const LONGEST = {amount: 8, mobile: 13, comment: 500};

  function press(key) {
    if (!field) return;
    if (key === "\b") field.value = field.value.slice(0, -1);
    else if (field.value.length < LONGEST[field.id]) field.value += key;
  }

  function send() {
    visit.amount = $("#amount").value;
    visit.comment = $("#comment").value;
    visit.mobile = $("#mobile").value;
    const outbox = read(OUTBOX, []);
    outbox.push(visit);
    write(OUTBOX, outbox);
    show("thanks");
    $("#thanks-detail").textContent = "";
    const id = visit.client_id;
    visit = null;
    flush().then((answers) => {
      const answer = answers[id];
      if (answer && answer.status === "refused") {
        $("#thanks-detail").textContent = t("refused") + answer.message;
      } else {
        const kept = read(OUTBOX, []).some((item) => item.client_id === id);
        $("#thanks-detail").textContent = kept ? t("kept") : t("sent");
      }
    });
    setTimeout(restart, 8000);
  }

  // Delivers the outbox; returns the server's answers by visit id (empty when it could
  // not be reached).
  let flushing = false;
  async function flush() {
    const answers = {};
    const outbox = read(OUTBOX, []);
    if (flushing || !outbox.length || !localStorage.getItem(KEY)) { showStatus(); return answers; }
    flushing = true;
    try {
      const batch = outbox.slice(0, 200);
      const response = await fetch(API + "visits", {method: "POST", headers: headers(), body: JSON.stringify({visits: batch})});
      if (response.status === 401) { show("revoked"); return answers; }
      if (!response.ok) return answers;
      const answered = new Set();
      (await response.json()).results.forEach((result, index) => {
        answers[batch[index].client_id] = result;
        if (SETTLED.has(result.status)) answered.add(batch[index].client_id);
      });
      // Read again: a citizen may have added a visit while this batch was in flight.
      write(OUTBOX, read(OUTBOX, []).filter((item) => !answered.has(item.client_id)));
    } catch (offline) {
      // Kept for the next try.
    } finally {
      flushing = false;
      showStatus();
    }
    return answers;
  }

  function touched() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => { if (!$("#screen-thanks").hidden || visit) restart(); }, IDLE_MS);
  }

  document.addEventListener("click", (event) => {
    touched();
    const target = event.target.closest("button, input, textarea");
    if (!target) return;
    if (target.dataset.keyboard) { openKeyboard(target); return; }
    if (target.dataset.key !== undefined) { press(target.dataset.key); return; }
    if (target.dataset.service) {
      newVisit();
      visit.service = target.dataset.service;
      show("rating");
      return;
    }
    if (target.dataset.rating) {
      visit.rating = target.dataset.rating;
      $("#amount-field").hidden = visit.rating !== "money";
      $("#scan-button").hidden = scanner() === null;
      show("details");
      return;
    }
    const action = target.dataset.action;
    if (action === "language") {
      language = language === "ur" ? "en" : "ur";
      localStorage.setItem(LANGUAGE, language);
      translate();
    } else if (action === "enrol") enrol();
    else if (action === "start") show("service");
    else if (action === "scan") scan();
    else if (action === "send") send();
    else if (action === "restart") restart();
  });

  window.addEventListener("online", () => { showStatus(); flush(); });
  window.addEventListener("offline", showStatus);
  setInterval(flush, FLUSH_MS);
  setInterval(() => {
    if (localStorage.getItem(KEY) && navigator.onLine) {
      fetch(API + "heartbeat", {method: "POST", headers: headers()})
        .then((r) => { if (r.status === 401) show("revoked"); })
        .catch(() => {});
    }
  }, 60000);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(document.body.dataset.sw).catch(() => {});
  }
  // The office's services may have changed since enrolment: refresh them when online.
  function refreshConfig() {
    if (!localStorage.getItem(KEY)) return;
    fetch(API + "config", {headers: headers()})
      .then((r) => (r.ok ? r.json() : null))
      .then((config) => { if (config) { write(CONFIG, config); renderServices(); } })
      .catch(() => {});
  }

  window.CFMPKiosk = {flush, outbox: () => read(OUTBOX, [])};  // for operators' consoles and tests
  refreshConfig();
  translate();
  restart();
  flush();
})();
