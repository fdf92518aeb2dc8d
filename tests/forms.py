"""Forms submitted as a person submits them: parsed from the page as rendered (hidden
fields, what is checked and selected, the options offered), with only the fields a person
touches changed. A choice the page does not offer cannot be made."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Control:
    name: str
    kind: str  # text, hidden, radio, checkbox, select, textarea, submit, file, ...
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)  # a select's, or a radio group's
    multiple: bool = False


@dataclass
class RenderedForm:
    action: str
    method: str
    controls: list[Control] = field(default_factory=list)
    pressed: tuple[str, str] | None = None

    def _named(self, name: str) -> list[Control]:
        found = [c for c in self.controls if c.name == name]
        if not found:
            raise AssertionError(f"the form has no field {name!r}: {self.names()}")
        return found

    def names(self) -> list[str]:
        return sorted({c.name for c in self.controls})

    def options(self, name: str) -> list[str]:
        controls = self._named(name)
        if controls[0].kind == "select":
            return list(controls[0].options)
        return [c.value for c in controls]

    def set(self, name: str, value: str) -> RenderedForm:
        """Type into a text field, choose a radio button or a select's option, tick a box."""
        controls = self._named(name)
        kind = controls[0].kind
        if kind == "radio":
            if value not in [c.value for c in controls]:
                raise AssertionError(f"{name}: {value!r} is not offered ({self.options(name)})")
            for control in controls:
                control.checked = control.value == value
        elif kind == "checkbox":
            for control in controls:
                control.checked = bool(value)
        elif kind == "select":
            if value not in controls[0].options:
                raise AssertionError(f"{name}: {value!r} is not offered ({controls[0].options})")
            controls[0].value = value
        elif kind in ("hidden", "submit"):
            raise AssertionError(f"{name} is not a field a person can change")
        else:
            controls[0].value = value
        return self

    def fill(self, **values: Any) -> RenderedForm:
        for name, value in values.items():
            self.set(name, str(value) if value not in (True, False) else value)
        return self

    def press(self, name: str, value: str) -> RenderedForm:
        buttons = [c for c in self.controls if c.kind == "submit" and c.name == name]
        if value not in [b.value for b in buttons]:
            raise AssertionError(f"no button {name}={value!r} on the form")
        self.pressed = (name, value)
        return self

    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}

        def put(name: str, value: str) -> None:
            data.setdefault(name, []).append(value)

        for control in self.controls:
            if control.kind in ("radio", "checkbox"):
                if control.checked:
                    put(control.name, control.value or "on")
            elif control.kind != "submit":
                put(control.name, control.value)
        if self.pressed is not None:
            put(*self.pressed)
        return {k: v if len(v) > 1 else v[0] for k, v in data.items()}

    def submit(self, client: Any, *, url: str = "", **kwargs: Any) -> Any:
        target = self.action or url
        assert target, "the form has no action: pass the page's url"
        return client.post(target, self.data(), **kwargs)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[RenderedForm] = []
        self.form: RenderedForm | None = None
        self.select: Control | None = None
        self.option: tuple[str, bool] | None = None
        self.option_text = ""
        self.textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.form = RenderedForm(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self.form)
        if self.form is None or ("disabled" in a and tag in ("input", "select", "textarea")):
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            self.form.controls.append(
                Control(a["name"], kind, a.get("value", ""), checked="checked" in a)
            )
        elif tag == "button" and a.get("name"):
            self.form.controls.append(Control(a["name"], "submit", a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self.select = Control(a["name"], "select", multiple="multiple" in a)
            self.form.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = (a.get("value"), "selected" in a)  # type: ignore[assignment]
            self.option_text = ""
        elif tag == "textarea" and a.get("name"):
            self.textarea = Control(a["name"], "textarea")
            self.form.controls.append(self.textarea)

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option_text += data
        if self.textarea is not None:
            self.textarea.value += data

    def _end_option(self) -> None:
        if self.option is not None and self.select is not None:
            value, selected = self.option
            value = self.option_text.strip() if value is None else value
            self.select.options.append(value)
            if selected or (len(self.select.options) == 1 and not self.select.multiple):
                self.select.value = value
        self.option = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._end_option()
        elif tag == "select":
            self._end_option()
            self.select = None
        elif tag == "textarea":
            if self.textarea is not None and self.textarea.value.startswith("\n"):
                self.textarea.value = self.textarea.value[1:]
            self.textarea = None
        elif tag == "form":
            self.form = None


def forms_in(html: str | bytes) -> list[RenderedForm]:
    parser = _Parser()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.forms


def form_with(response_or_html: Any, field: str, *, action: str = "") -> RenderedForm:
    """The page's form that has this field (and this action, when given)."""
    html = getattr(response_or_html, "content", response_or_html)
    found = [
        f
        for f in forms_in(html)
        if any(c.name == field for c in f.controls) and (not action or f.action == action)
    ]
    assert found, f"no form with a field {field!r} on the page"
    form = found[0]
    request = getattr(response_or_html, "request", None)
    if not form.action and request is not None:  # posts back to the page itself
        form.action = request["PATH_INFO"]
    return form
