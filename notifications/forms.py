from django import forms

from notifications import events
from notifications.enums import Frequency


class PreferencesForm(forms.Form):
    """One choice per event the person may configure (``events.configurable_for``)."""

    def __init__(self, *args, events_shown: list[events.Event], initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for event in events_shown:
            self.fields[event.key] = forms.ChoiceField(
                label=event.label,
                choices=Frequency.choices,
                initial=initial_choices.get(event.key, event.default),
                widget=forms.RadioSelect,
            )
