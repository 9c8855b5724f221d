"""Word lists the judgement reads: stop words, function words by language, genre and date words,
countries. Widening a list is a data change."""

from __future__ import annotations

from .normalise import wordset

__all__ = ["COUNTRIES", "DATE_WORDS", "GENRE_WEIGHT", "GENRE_WORDS", "LANG_WORDS", "STOPWORDS"]

STOPWORDS = wordset(
    "a an the of and or in on at to for by with from as is are be its it this that these into "
    "about over under between via vs de des du la le les et en pour sur au aux avec un une der "
    "die das den dem und von zu zum zur fur mit im am ein eine el los las del y por para con il "
    "di e"
)
LANG_WORDS = {
    "en": wordset("the of and for with on in to from by is are its an this at how what why who when "
                  "was were has have will can not your you we our new after over into about than more"),
    "de": wordset("der die das den dem des und fur mit von zum zur zu im ist ein eine uber bei auf "
                  "sich nicht auch nach wie wird werden sind sie er es wir ihr dieser diese dieses aus "
                  "oder aber noch nur vom beim gegen durch ohne mehr neue neuer neues jetzt was wer "
                  "alle alles einen einem einer unter vor bis seit als"),
    "fr": wordset("le la les des du et pour sur avec au aux un une dans est entre par pas plus qui "
                  "que ne se ce cette ces sont son sa ses leur nous vous apres sans chez comment"),
    "es": wordset("el los las del y por para con una en es sobre entre como mas pero sus tras "
                  "desde hasta segun que se al lo esta este"),
    "it": wordset("il lo gli della delle degli e per con una sul nel tra dei dal alla alle che "
                  "non sono come anche piu questo questa"),
    "nl": wordset("het een van en voor met op is zijn niet ook bij naar uit dat die deze wordt "
                  "worden over om aan hoe wat nieuwe nieuw heeft hebben kan kunnen moet moeten zal "
                  "zullen wil geen nog maar wel al ondanks tijdens tegen tussen zonder onder door"),
    "pt": wordset("o os as do da dos das e para com uma um em no na nos nas por sobre como mais "
                  "nao sao seu sua pelo pela ao entre"),
}


GENRE_WORDS = wordset(
    "fact sheet factsheet briefing press release news article pdf document explainer overview "
    "infographic page website statement remarks speech summary report communique"
)
"""Words naming the kind of document: link texts add or swap them freely, so they weigh little."""
GENRE_WEIGHT = 0.3
DATE_WORDS = wordset(
    "january february march april may june july august september october november december jan "
    "feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday"
)
COUNTRIES = {
    alias: country
    for country, aliases in {
        "japan": "japan japanese japon japonaise japonais nippon",
        "china": "china chinese chine chinois",
        "korea": "korea korean coree korea",
        "india": "india indian indien inde",
        "usa": "usa america american americans amerika",
        "uk": "uk britain british england",
        "france": "france french frankreich francais franco",
        "germany": "germany german deutschland allemagne",
        "italy": "italy italian italien italie",
        "spain": "spain spanish spanien espagne",
        "russia": "russia russian russland russie",
        "ukraine": "ukraine ukrainian",
        "canada": "canada canadian kanada",
        "australia": "australia australian australien australie",
        "brazil": "brazil brazilian brasilien bresil",
        "mexico": "mexico mexican mexiko mexique",
        "turkey": "turkey turkish turkiye turkei turquie",
        "israel": "israel israeli",
        "iran": "iran iranian",
        "egypt": "egypt egyptian",
        "indonesia": "indonesia indonesian",
        "vietnam": "vietnam vietnamese",
        "singapore": "singapore",
        "taiwan": "taiwan taiwanese",
        "switzerland": "switzerland swiss schweiz suisse",
        "norway": "norway norwegian",
        "poland": "poland polish polen pologne",
        "netherlands": "netherlands dutch niederlande",
        "belgium": "belgium belgian belgien belgique",
        "sweden": "sweden swedish schweden",
        "finland": "finland finnish finnland",
        "ireland": "ireland irish irland",
        "greece": "greece greek griechenland",
        "portugal": "portugal portuguese",
        "austria": "austria austrian osterreich",
        "argentina": "argentina argentinian",
        "chile": "chile chilean",
        "nigeria": "nigeria nigerian",
        "kenya": "kenya kenyan",
        "philippines": "philippines philippine filipino",
        "thailand": "thailand thai",
        "malaysia": "malaysia malaysian",
        "pakistan": "pakistan pakistani",
        "zealand": "zealand",
        "mongolia": "mongolia mongolian",
    }.items()
    for alias in aliases.split()
}
"""Country names and demonyms: two titles naming different countries are different documents."""


def _inflected(forms: str) -> list[str]:
    """"deutsch:,e,en,er,es,em" → deutsch deutsche deutschen …: a stem and the endings its
    language gives it (German and Romance adjectives agree in gender, number and case); a form
    without a colon stands for itself."""
    out: list[str] = []
    for item in forms.split():
        base, colon, endings = item.partition(":")
        out.extend(base + e for e in endings.split(",")) if colon else out.append(base)
    return out


_DE = ",e,en,er,es,em"
_DEMONYMS = {
    "germany": f"deutsch:{_DE} deutschland allemand:,e,s,es alem:an,ana,anes,anas alemania tedesc:o,a,hi,he "
               "germania duits:,e duitsland alem:ao,a,aes alemanha",
    "france": f"franzosisch:{_DE} francais:,e,es frances:a,es,as francia frances:e,i frankrijk franca",
    "japan": f"japanisch:{_DE} japonais:,e,es japones:,a,es,as giappones:e,i giappone japans:,e japao",
    "china": f"chinesisch:{_DE} chinois:,e,es chin:o,a,os,as cines:e,i cina chinee:s,se chines:,a",
    "russia": f"russisch:{_DE} russe:,s rus:o,a,os,as rusia russ:o,a,i,e rusland",
    "italy": f"italienisch:{_DE} italien:,ne,s,nes italian:o,a,i,e,os,as italia italiaans:,e",
    "spain": f"spanisch:{_DE} espagnol:,e,s,es espan:ol,ola,oles,olas espana spagnol:o,a,i,e spagna spaans:,e "
             "spanje espanhol:,a,is espanha",
    "usa": f"amerikanisch:{_DE} americain:,e,s,es american:o,a,os,as,i,e estadounidense:,s amerikaans:,e",
    "uk": f"britisch:{_DE} britannique:,s britanic:o,a,os,as britannic:o,a,i,he grossbritannien",
    "india": f"indisch:{_DE} indien:,ne,s,nes indian:o,i,e",
    "ukraine": f"ukrainisch:{_DE} ukrainien:,ne,s,nes ucranian:o,a,os,as ucraina ucrain:o,a,i,e ucrania",
    "poland": f"polnisch:{_DE} polonais:,e,es polac:o,a,os,as polacc:o,a,hi,he polonia",
    "turkey": f"turkisch:{_DE} turc turque:,s turc:o,a,os,as,hi,he turquia",
    "netherlands": f"niederlandisch:{_DE} neerlandais:,e,es nederland nederlandse",
}
# Left out on purpose: "frances" (a first name in English), "indiana" (a US state).
for _country, _forms in _DEMONYMS.items():
    for _alias in _inflected(_forms):
        COUNTRIES.setdefault(_alias, _country)
