"""Screening tools for professionals: the ILO's 11 indicators, signs per form of
exploitation, and a quickscan in simple language (in the spirit of 11VB).

Nothing is stored: the ticks travel in the query string, the outcome is computed
on the spot. A logged-in professional can take the outcome to the registry's
new-signal form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zicht.registry.codes import Form, Indicator

# Plain-language names of the forms of exploitation, for the public pages.
FORM_LABELS: dict[str, Promise] = {
    Form.SEXUAL: _("Sexual exploitation"),
    Form.LABOUR: _("Exploitation at work (also begging)"),
    Form.SLAVERY: _("Slavery"),
    Form.SERVITUDE: _("Servitude"),
    Form.CRIMINAL: _("Forced criminal activities"),
    Form.ORGANS: _("Removal of organs"),
    Form.SURROGACY: _("Forced surrogacy"),
    Form.FORCED_MARRIAGE: _("Forced marriage"),
    Form.ILLEGAL_ADOPTION: _("Illegal adoption"),
}

# The ILO indicators in plain words, for the anonymous form and as explanations.
INDICATOR_PLAIN: dict[str, Promise] = {
    Indicator.VULNERABILITY: _("Someone takes advantage of a difficult situation"),
    Indicator.DECEPTION: _("Promises were broken or lies were told"),
    Indicator.MOVEMENT: _("Cannot go where they want"),
    Indicator.ISOLATION: _("Is kept away from other people"),
    Indicator.VIOLENCE: _("Is hit, hurt or sexually abused"),
    Indicator.THREATS: _("Is threatened or frightened"),
    Indicator.DOCUMENTS: _("Someone else keeps their passport or ID"),
    Indicator.WAGES: _("Gets no money or far too little"),
    Indicator.DEBT: _("Has a debt that never gets paid off"),
    Indicator.CONDITIONS: _("Bad or unsafe work or housing"),
    Indicator.OVERTIME: _("Works far too many hours"),
}

# The ILO's names of the indicators (the same words as the registry's code list,
# repeated here so that this app's catalogues hold them in every public language).
INDICATOR_LABELS: dict[str, Promise] = {
    Indicator.VULNERABILITY: _("Abuse of vulnerability"),
    Indicator.DECEPTION: _("Deception"),
    Indicator.MOVEMENT: _("Restriction of movement"),
    Indicator.ISOLATION: _("Isolation"),
    Indicator.VIOLENCE: _("Physical and sexual violence"),
    Indicator.THREATS: _("Intimidation and threats"),
    Indicator.DOCUMENTS: _("Retention of identity documents"),
    Indicator.WAGES: _("Withholding of wages"),
    Indicator.DEBT: _("Debt bondage"),
    Indicator.CONDITIONS: _("Abusive working and living conditions"),
    Indicator.OVERTIME: _("Excessive overtime"),
}

# Indicators that on their own point strongly to forced labour (ILO 2012 guidance:
# coercion through violence, confinement, documents or debt).
STRONG_INDICATORS = frozenset({Indicator.MOVEMENT, Indicator.VIOLENCE, Indicator.DOCUMENTS,
                               Indicator.DEBT})


class Advice:
    REPORT = "report"
    CONSULT = "consult"
    NONE = "none"


@dataclass(frozen=True)
class Item:
    key: str
    text: Promise
    explanation: Promise | str = ""
    strong: bool = False
    indicator: str = ""


@dataclass(frozen=True)
class Tool:
    key: str
    title: Promise
    intro: Promise
    items: tuple[Item, ...]
    forms: tuple[str, ...] = ()

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)


@dataclass(frozen=True)
class Outcome:
    tool: Tool
    ticked: tuple[Item, ...]
    advice: str

    @property
    def indicators(self) -> list[str]:
        return list(dict.fromkeys(item.indicator for item in self.ticked if item.indicator))

    def signal_query(self) -> str:
        """Query string for the registry's new-signal form: forms and indicators ticked."""
        pairs = [("forms", form) for form in self.tool.forms]
        pairs += [("indicators", code) for code in self.indicators]
        return urlencode(pairs)


def advise(ticked: Sequence[Item]) -> str:
    """Report at three signs, or two with a strong one; consult at one or two; else none."""
    strong = any(item.strong for item in ticked)
    if len(ticked) >= 3 or (strong and len(ticked) >= 2):
        return Advice.REPORT
    if ticked:
        return Advice.CONSULT
    return Advice.NONE


def evaluate(tool: Tool, keys: Sequence[str]) -> Outcome:
    ticked = tuple(item for item in tool.items if item.key in set(keys))
    return Outcome(tool, ticked, advise(ticked))


ILO = Tool(
    key="ilo",
    title=_("ILO indicators of forced labour"),
    intro=_("Tick every indicator you saw or heard about. One indicator alone is not proof; "
            "several together are a reason to act."),
    items=tuple(Item(code, label, INDICATOR_PLAIN[code], code in STRONG_INDICATORS, code)
                for code, label in INDICATOR_LABELS.items()),
)

QUICKSCAN = Tool(
    key="quickscan",
    title=_("Quickscan in simple language"),
    intro=_("For a conversation with someone who may have a mild intellectual disability. "
            "Ask the questions in your own words. Tick each question the person answers "
            "with yes."),
    items=(
        Item("made_to", _("Do you have to do work or things you do not want to do?"),
             strong=True, indicator=Indicator.VULNERABILITY),
        Item("money", _("Do you get no money, or do you have to give your money away?"),
             indicator=Indicator.WAGES),
        Item("papers", _("Does someone else have your passport, ID card or bank card?"),
             strong=True, indicator=Indicator.DOCUMENTS),
        Item("debt", _("Do you owe someone money that you have to work off?"),
             indicator=Indicator.DEBT),
        Item("afraid", _("Does someone make you afraid or threaten you?"),
             strong=True, indicator=Indicator.THREATS),
        Item("hurt", _("Does someone hit you, or make you have sex when you do not want to?"),
             strong=True, indicator=Indicator.VIOLENCE),
        Item("alone", _("Are you not allowed to go out alone or to talk to other people?"),
             indicator=Indicator.MOVEMENT),
        Item("promise", _("Did someone promise you something that was not true?"),
             indicator=Indicator.DECEPTION),
        Item("friend", _("Did a new friend give you a lot, and now wants something back?"),
             indicator=Indicator.VULNERABILITY),
        Item("housing", _("Do you live in a place you did not choose and that is not safe?"),
             indicator=Indicator.CONDITIONS),
    ),
)

SIGNS: dict[str, Tool] = {
    Form.SEXUAL: Tool(
        key=Form.SEXUAL, title=FORM_LABELS[Form.SEXUAL],
        intro=_("Signs of sexual exploitation. Tick what you saw or heard."),
        forms=(Form.SEXUAL,),
        items=(
            Item("lover", _("Has a 'boyfriend' who makes them sell sex"), strong=True,
                 indicator=Indicator.DECEPTION),
            Item("money", _("Has to hand over the money they earn"),
                 indicator=Indicator.WAGES),
            Item("papers", _("Someone else keeps their passport or ID"), strong=True,
                 indicator=Indicator.DOCUMENTS),
            Item("hours", _("Has very many clients or works when ill"),
                 indicator=Indicator.OVERTIME),
            Item("watched", _("Is brought and picked up, or never alone"),
                 indicator=Indicator.MOVEMENT),
            Item("marks", _("Has injuries, or tattoos that show someone owns them"),
                 strong=True, indicator=Indicator.VIOLENCE),
        ),
    ),
    Form.LABOUR: Tool(
        key=Form.LABOUR, title=FORM_LABELS[Form.LABOUR],
        intro=_("Signs of exploitation at work. Tick what you saw or heard."),
        forms=(Form.LABOUR,),
        items=(
            Item("pay", _("Is paid far below the minimum wage, or not at all"),
                 indicator=Indicator.WAGES),
            Item("debt", _("Has a debt to the employer or recruiter that keeps growing"),
                 strong=True, indicator=Indicator.DEBT),
            Item("papers", _("The employer keeps their passport or ID"), strong=True,
                 indicator=Indicator.DOCUMENTS),
            Item("housing", _("Lives in crowded or unsafe housing of the employer"),
                 indicator=Indicator.CONDITIONS),
            Item("hours", _("Works very long days without rest"),
                 indicator=Indicator.OVERTIME),
            Item("promise", _("Was promised other work or other pay"),
                 indicator=Indicator.DECEPTION),
        ),
    ),
    Form.CRIMINAL: Tool(
        key=Form.CRIMINAL, title=FORM_LABELS[Form.CRIMINAL],
        intro=_("Signs of forced criminal activities. Tick what you saw or heard."),
        forms=(Form.CRIMINAL,),
        items=(
            Item("made", _("Is made to sell drugs, steal or shoplift for someone else"),
                 strong=True),
            Item("hand_over", _("Has to hand over the money or goods"),
                 indicator=Indicator.WAGES),
            Item("threat", _("Is threatened, or their family is"), strong=True,
                 indicator=Indicator.THREATS),
            Item("debt", _("Has a debt with the people who make them do it"),
                 indicator=Indicator.DEBT),
            Item("young", _("Is young or vulnerable and is moved from place to place"),
                 indicator=Indicator.VULNERABILITY),
        ),
    ),
    Form.FORCED_MARRIAGE: Tool(
        key=Form.FORCED_MARRIAGE, title=FORM_LABELS[Form.FORCED_MARRIAGE],
        intro=_("Signs of forced marriage. Tick what you saw or heard."),
        forms=(Form.FORCED_MARRIAGE,),
        items=(
            Item("against_will", _("Has to marry, or was married, against their will"),
                 strong=True),
            Item("kept", _("Is kept away from school, work or friends"),
                 indicator=Indicator.ISOLATION),
            Item("abroad", _("Is taken abroad and fears not being able to come back"),
                 strong=True, indicator=Indicator.MOVEMENT),
            Item("threat", _("Is threatened with violence or being cast out if they refuse"),
                 indicator=Indicator.THREATS),
        ),
    ),
    Form.SURROGACY: Tool(
        key=Form.SURROGACY, title=FORM_LABELS[Form.SURROGACY],
        intro=_("Signs of forced surrogacy. Tick what you saw or heard."),
        forms=(Form.SURROGACY,),
        items=(
            Item("pregnant", _("Is pregnant for someone else and cannot decide about it"),
                 strong=True),
            Item("money", _("Does not get the money promised, or has a debt"),
                 indicator=Indicator.DEBT),
            Item("papers", _("Someone else keeps their passport or phone"),
                 indicator=Indicator.DOCUMENTS),
            Item("watched", _("Is housed and watched by the organisers"),
                 indicator=Indicator.MOVEMENT),
        ),
    ),
    Form.ILLEGAL_ADOPTION: Tool(
        key=Form.ILLEGAL_ADOPTION, title=FORM_LABELS[Form.ILLEGAL_ADOPTION],
        intro=_("Signs of illegal adoption. Tick what you saw or heard."),
        forms=(Form.ILLEGAL_ADOPTION,),
        items=(
            Item("sold", _("A child is offered for money or goods"), strong=True),
            Item("papers", _("Papers about the child's birth or parents seem false"),
                 indicator=Indicator.DECEPTION),
            Item("pressure", _("A parent was pressured or deceived into giving up the child"),
                 strong=True, indicator=Indicator.THREATS),
        ),
    ),
}

TOOLS: dict[str, Tool] = {"ilo": ILO, "quickscan": QUICKSCAN}
