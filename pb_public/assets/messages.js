// Words for people: plurals, and the API's field errors in the words of
// the form. Linkbase's own codes come with messages written for people;
// PocketBase's generic ones (validation_*) are phrased for developers and
// may name internal things (a stored file name, a field name), so they are
// replaced here by the field's own words.

// plural writes a count with its noun: "1 click", "2 clicks".
export function plural(n, one, many = one + "s") {
  const count = Number(n) || 0;
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

// generic are PocketBase's codes, as a sentence about the field's label.
const generic = {
  validation_required: (label) => `Enter ${label}.`,
  validation_min_text_constraint: (label) => `${cap(label)} is too short.`,
  validation_max_text_constraint: (label) => `${cap(label)} is too long.`,
  validation_length_out_of_range: (label) => `${cap(label)} is too long.`,
  validation_invalid_mime_type: () => "Choose a JPEG, PNG, WebP or GIF picture.",
  validation_file_size_limit: () => "The picture is larger than 2 MB.",
  validation_invalid_date: (label) => `${cap(label)} is not a valid date.`,
  validation_invalid_value: (label) => `Check ${label}.`,
  validation_json_size_limit: (label) => `${cap(label)} is too long.`,
};

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

// Our own codes whose message reads better in the form's words.
const ours = {
  schedule_invalid: "The end must be after the start.",
  image_too_large: "The picture is too large: at most 4096 × 4096 pixels (16 megapixels).",
};

// friendly returns the message to show for one field error of the API
// ({code, message}); label names the field as the form does ("a title").
export function friendly(err, label = "this field") {
  if (!err) return "";
  if (ours[err.code]) return ours[err.code];
  if (generic[err.code]) return generic[err.code](label);
  if (err.code && !err.code.startsWith("validation_")) return err.message;
  return `Check ${label}.`;
}

// friendlyErrors maps an error body's data to {field: {message}} for
// showFieldErrors, with labels per field ({title: "a title"}).
export function friendlyErrors(data, labels = {}) {
  const out = {};
  for (const [field, err] of Object.entries(data || {})) {
    if (err && typeof err === "object" && "code" in err) out[field] = { message: friendly(err, labels[field]) };
  }
  return out;
}
