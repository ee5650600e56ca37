"""The short, phone-first form that records a workshop, without JavaScript.

The trees are typed as indented lines (see `apps.knowledge.trees`); challenges one per line;
commitments in a small repeated fieldset (what, who is responsible, by when). Organisations are
typed by name or acronym, one per line, and resolved by the service (what it cannot find stays
as text). Every field keeps what was typed when another one is refused.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.knowledge.models import Workshop
from apps.knowledge.trees import Tree, lines_parse, tree_parse, tree_text
from apps.territory.models import Department
from apps.territory.selectors import municipality_resolve

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TREE_HELP = _("Una idea por línea, con un guion. Para poner una idea debajo de otra, escríbala en la línea "
              "siguiente con dos espacios al comienzo.")


MAX_ORGANIZERS = 30


def _textarea(rows: int = 3, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Nombre del taller"), max_length=200,
                            help_text=_("Ejemplo: Taller de árbol de problemas de agua potable."))
    held_on = forms.DateField(label=_("Fecha"), widget=DATE)
    place = forms.CharField(label=_("Lugar"), max_length=200, required=False,
                            help_text=_("Sitio o «virtual»."))
    organizers = forms.CharField(
        label=_("Organizadores"), required=False, widget=_textarea(2),
        help_text=_("Una organización por línea: nombre o sigla (por ejemplo DNP, MinVivienda, Gobernación de "
                    "Cundinamarca). Las que no estén en la plataforma quedan como texto."))
    participants = forms.CharField(label=_("Organizaciones participantes"), required=False, max_length=4000,
                                   widget=_textarea(2))
    participants_count = forms.IntegerField(label=_("Número de participantes"), required=False, min_value=0,
                                            max_value=100_000, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    department = forms.ModelChoiceField(queryset=Department.objects.all(), required=False, to_field_name="code",
                                        label=_("Departamento (si el taller fue de un territorio)"),
                                        empty_label=_("Ninguno"))
    municipality_name = forms.CharField(label=_("Municipio"), required=False, max_length=120,
                                        help_text=_("Déjelo vacío si fue del departamento."))
    objective = forms.CharField(label=_("Objetivo del taller"), required=False, max_length=4000,
                                widget=_textarea(3))
    central_problem = forms.CharField(label=_("Problema central"), required=False, max_length=4000,
                                      widget=_textarea(2))
    causes = forms.CharField(
        label=_("Causas"), required=False, widget=_textarea(6, spellcheck="true"),
        help_text=_("Causas directas con un guion; sus causas indirectas debajo, con dos espacios al comienzo. "
                    "Ejemplo:\n- Baja coordinación entre entidades\n  - No se conoce la oferta"))
    effects = forms.CharField(label=_("Efectos"), required=False, widget=_textarea(3), help_text=TREE_HELP)
    central_objective = forms.CharField(label=_("Objetivo central (árbol de soluciones)"), required=False,
                                        max_length=4000, widget=_textarea(2))
    objectives = forms.CharField(
        label=_("Objetivos y acciones"), required=False, widget=_textarea(5),
        help_text=_("Un objetivo por línea con un guion; sus acciones debajo, con dos espacios al comienzo."))
    answers_in_order = forms.BooleanField(
        label=_("Cada objetivo responde a la causa directa del mismo número (el 1.º a la 1.ª, el 2.º a la 2.ª…)"),
        required=False, initial=True)
    challenges = forms.CharField(label=_("Retos"), required=False, widget=_textarea(3),
                                 help_text=_("Uno por línea."))

    def _tree(self, name: str) -> list[dict]:
        return tree_parse(self.cleaned_data.get(name) or "")

    def clean_causes(self):
        return self._tree("causes")

    def clean_effects(self):
        return self._tree("effects")

    def clean_objectives(self):
        return tree_parse(self.cleaned_data.get("objectives") or "", max_depth=2)

    def clean_challenges(self):
        return lines_parse(self.cleaned_data.get("challenges") or "")

    def clean_organizers(self):
        """Bounded as the API bounds them (30 names of up to 200 characters): each line is looked up."""
        lines = [line.strip() for line in (self.cleaned_data.get("organizers") or "").splitlines() if line.strip()]
        if len(lines) > MAX_ORGANIZERS:
            raise forms.ValidationError(_("Escriba como máximo %(n)d organizadores.") % {"n": MAX_ORGANIZERS})
        too_long = [n for n, line in enumerate(lines, start=1) if len(line) > 200]
        if too_long:
            raise forms.ValidationError(_("Línea %(n)d: pasa de 200 caracteres.") % {"n": too_long[0]})
        return lines

    def clean(self):
        data = super().clean()
        department, name = data.get("department"), (data.get("municipality_name") or "").strip()
        data["municipality"] = None
        if name and department is None:
            self.add_error("department", _("Elija el departamento del municipio."))
        elif department and name:
            data["municipality"] = municipality_resolve(department=department.code, name=name)
            if data["municipality"] is None:
                self.add_error("municipality_name", _("No encontramos «%(name)s» en %(dept)s. Revise el nombre.")
                               % {"name": name, "dept": department.display_name})
        return data

    def workshop_data(self) -> dict:
        """What the service takes (`services_workshops.workshop_create`)."""
        data = self.cleaned_data
        out = {name: data.get(name) for name in ("title", "held_on", "place", "participants", "participants_count",
                                                 "objective", "central_problem", "central_objective",
                                                 "municipality", "department")}
        out["organizer_names"] = data.get("organizers") or []
        out["tree"] = {"causes": data.get("causes") or [], "effects": data.get("effects") or [],
                       "objectives": data.get("objectives") or []}
        out["answers_in_order"] = bool(data.get("answers_in_order"))
        out["challenges"] = data.get("challenges") or []
        return out

    def add_service_errors(self, errors: dict) -> list[str]:
        """Put the service's refusals on their fields; return those that belong to no field."""
        rest = []
        for field, messages in errors.items():
            if field == "municipality" and "municipality_name" in self.fields:
                self.add_error("municipality_name", messages)
            elif field in self.fields:
                self.add_error(field, messages)
            else:
                rest.extend(messages)
        return rest


class CommitmentRowForm(forms.Form):
    text = forms.CharField(label=_("Compromiso"), required=False, max_length=2000, widget=_textarea(2))
    responsible = forms.CharField(label=_("Responsable"), required=False, max_length=300,
                                  help_text=_("Entidad o territorio: nombre o sigla (por ejemplo MinVivienda)."))
    due_on = forms.DateField(label=_("Fecha límite"), required=False, widget=DATE)


CommitmentFormSet = forms.formset_factory(CommitmentRowForm, extra=3, max_num=10, absolute_max=10)


def commitment_rows(formset) -> list[dict]:
    return [{"text": row.cleaned_data.get("text") or "", "responsible": row.cleaned_data.get("responsible") or "",
             "due_on": row.cleaned_data.get("due_on")} for row in formset.forms if row.has_changed()]


def workshop_initial(workshop: Workshop, tree: Tree) -> dict:
    """The edit form's initial values: the stored workshop and its tree written back as text."""
    answers_in_order = all(tree.answered_cause(b) == b.number for b in tree.objectives)
    return {
        "title": workshop.title, "held_on": workshop.held_on, "place": workshop.place,
        "organizers": workshop.organizers, "participants": workshop.participants,
        "participants_count": workshop.participants_count, "objective": workshop.objective,
        "central_problem": workshop.central_problem, "central_objective": workshop.central_objective,
        "department": workshop.department_id,
        "municipality_name": workshop.municipality.display_name if workshop.municipality else "",
        "causes": tree_text(tree.causes), "effects": tree_text(tree.effects),
        "objectives": tree_text(tree.objectives), "answers_in_order": answers_in_order,
        "challenges": "\n".join(c.text for c in workshop.challenges.all()),
    }
