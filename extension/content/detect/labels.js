// The words (English and French) that tell what a number on a listing page means. They are
// data: adding a language or a site's wording is a line here, not new code.

export const DURATION_LABELS = Object.freeze({
  // A listing's own life, not the work: "HIT Expiration Date", "posted 5 minutes ago",
  // "il y a 2 heures", "livraison en 2 jours", "3 hours left".
  ignore: /expiration|expiry|\bdate\b|posted|published|publi[ée]e?\b|mis en ligne|created|cr[ée]{2}e?\b|updated|mis [àa] jour|il y a|\bago\b|delivery|livraison|livr[ée]|shipping|shipped|exp[ée]dition|exp[ée]di[ée]e?|remaining|restante?s?\b|\bleft\b/i,
  // The limit the requester set, which says nothing about how long the work takes.
  allotted: /allott?ed|time\s*limit|temps\s*imparti|imparti|temps\s*(?:limite|max(?:imum|imal)?)|dur[ée]e\s*(?:max(?:imum|imale)?|limite)|d[ée]lai|max(?:imum)?\.?\s*(?:time|duration)|\bexpires?\b|\bexpire\b|to complete in|deadline/i,
  advertised: /dur[ée]e|duration|estimat|estim[ée]|takes|length|approx|environ|about|around|\btime\b|temps/i,
});

// Text right after a duration that makes it a countdown rather than a property of the work.
export const DURATION_IGNORE_AFTER = /^\s*(?:ago|left|remaining|restante?s?)\b/i;

// `bonus` covers all money beside a listing that is not what the task pays: bonuses, a
// balance, a total.
export const PRICE_LABELS = Object.freeze({
  rate: /hourly|per\s+hour|taux\s+horaire|par\s+heure|de\s+l['’]heure|salaire\s+horaire|\/\s*h(?:r|our)?\b/i,
  bonus: /bonus|up\s+to|jusqu['’]\s*[àa]|\bprime\b|balance|solde|total/i,
  reward: /reward|r[ée]compense|r[ée]mun[ée]ration|\bpays?\b|payment|paie|\bgains?\b|earn|gagne|\bprix\b|\bprice\b|montant|amount/i,
});

// "£9.00/hr", "3 € de l'heure", "$5 a day": a rate, not what the task pays.
export const RATE_AFTER = /^\s*(?:\/|per\b|par\b|an?\b|de\s+l['’]|l['’])\s*(?:h\b|hr\b|hrs\b|hour|heure|day|jour|week|semaine|month|mois|year|an\b|ann[ée]e|min)/i;

// A requester's name follows one of these, alone in its element ("Requester:", "Par").
export const REQUESTER_LABEL = /^(?:requester(?:\s+name)?|demandeur|donneur\s+d['’]ordre|client|researcher|chercheu(?:r|se)|host|h[ôo]te|posted\s+by|publi[ée]e?\s+par|by|par|from)\s*:?$/i;
// ... or shares its element after a colon ("Requester: Sam").
export const REQUESTER_INLINE = /^(?:requester|demandeur|donneur\s+d['’]ordre|client|researcher|chercheu(?:r|se))\s*:\s*(.{2,200})$/i;

// A table column whose cells are the listings' titles.
export const TITLE_COLUMN = /^(?:missions?|titres?|titles?|tasks?|t[âa]ches?|[ée]tudes?|study|studies|sondages?|surveys?|hits?|projets?|projects?|offres?|jobs?)\s*:?$/i;

// Link texts that open a task rather than describe it.
export const ACTION_LINK = /\b(?:view|preview|voir|aper[çc]u|start|commencer|d[ée]marrer|accept|accepter|take\s+part|participer|details?|d[ée]tails?|open|ouvrir|go|work|do)\b/i;

// Query parameters and path segments that carry a requester's id on a link.
export const REQUESTER_ID_PARAM = /^(?:requester_?id|requesterid|researcher_?id|owner_?id|client_?id|hit_type_message\[requester_id\])$/i;
export const REQUESTER_ID_PATH = /\/(?:requesters?|researchers?|clients?)\/([A-Za-z0-9_-]{2,128})(?:\/|$)/;

// Whether the text before a number reads like a label ("Time Allotted:", "Durée") rather than
// a sentence: short, with letters and no figures of its own.
export function looksLikeLabel(text) {
  return text.length > 0 && text.length <= 40 && /\p{L}/u.test(text) && !/\d/.test(text);
}

/** 'ignore' | 'allotted' | 'advertised' | null for a label text; the nearest label decides. */
export function durationRole(label) {
  if (!label) return null;
  if (DURATION_LABELS.ignore.test(label)) return 'ignore';
  if (DURATION_LABELS.allotted.test(label)) return 'allotted';
  if (DURATION_LABELS.advertised.test(label)) return 'advertised';
  return null;
}

/** 'rate' | 'bonus' | 'reward' | null for a label text. */
export function priceRole(label) {
  if (!label) return null;
  if (PRICE_LABELS.rate.test(label)) return 'rate';
  if (PRICE_LABELS.bonus.test(label)) return 'bonus';
  if (PRICE_LABELS.reward.test(label)) return 'reward';
  return null;
}
