"""Review forms: corrections to a deal, merging two deals, splitting one."""

from django import forms

from .models import Category, Deal, Evidence
from .review import EDITABLE_FIELDS


class DealEditForm(forms.ModelForm):
    """The fields an analyst may correct; whatever changes is locked against re-ingestion."""

    class Meta:
        model = Deal
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.leaves().select_related("parent")
        self.fields["quantity_qualifier"].required = False
        self.fields["value_qualifier"].required = False

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("value") is None) != (cleaned.get("currency") is None):
            raise forms.ValidationError("Give a value and its currency together, or neither.")
        return cleaned

    def _post_clean(self):
        # Skip the model's full_clean here: deal_edit decides what changes and the database checks it.
        pass


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False, label="Reason (optional)")


class MergeForm(forms.Form):
    """Fold another deal into this one."""

    other = forms.IntegerField(min_value=1, label="Deal number to merge into this one")

    def __init__(self, *args, deal: Deal, **kwargs):
        self.deal = deal
        super().__init__(*args, **kwargs)

    def clean_other(self) -> Deal:
        other_id = self.cleaned_data["other"]
        if other_id == self.deal.pk:
            raise forms.ValidationError("Choose a different deal.")
        other = Deal.objects.live().filter(pk=other_id).first()
        if other is None:
            raise forms.ValidationError(f"There is no live deal {other_id}.")
        return other


class SplitForm(forms.Form):
    """Move the chosen evidence sentences to a new deal."""

    evidence = forms.ModelMultipleChoiceField(
        queryset=Evidence.objects.none(), widget=forms.CheckboxSelectMultiple, label="Sentences to split off"
    )

    def __init__(self, *args, deal: Deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = Evidence.objects.filter(deal=deal).select_related("article")
        self.fields["evidence"].label_from_instance = lambda e: f"{e.article} — {e.sentence[:120]}"
