// The platforms of the social icon row (linkbio.Platforms and
// socialicons' labels), and their icons from the sprite that the
// socialicons package generates (assets/social-icons.svg).

export const platforms = [
  { id: "instagram", label: "Instagram", example: "https://instagram.com/you" },
  { id: "tiktok", label: "TikTok", example: "https://tiktok.com/@you" },
  { id: "youtube", label: "YouTube", example: "https://youtube.com/@you" },
  { id: "x", label: "X", example: "https://x.com/you" },
  { id: "facebook", label: "Facebook", example: "https://facebook.com/you" },
  { id: "linkedin", label: "LinkedIn", example: "https://linkedin.com/in/you" },
  { id: "github", label: "GitHub", example: "https://github.com/you" },
  { id: "twitch", label: "Twitch", example: "https://twitch.tv/you" },
  { id: "spotify", label: "Spotify", example: "https://open.spotify.com/artist/…" },
  { id: "soundcloud", label: "SoundCloud", example: "https://soundcloud.com/you" },
  { id: "email", label: "Email", example: "you@example.com" },
  { id: "website", label: "Website", example: "https://example.com" },
];

export const labelOf = (id) => platforms.find((p) => p.id === id)?.label || id;

const svgNS = "http://www.w3.org/2000/svg";

// icon returns a decorative <svg> drawing the platform's icon.
export function icon(id) {
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("class", "icon");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const use = document.createElementNS(svgNS, "use");
  use.setAttribute("href", "/assets/social-icons.svg#icon-" + id);
  svg.append(use);
  return svg;
}
