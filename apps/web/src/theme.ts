import {
  type CSSVariablesResolver,
  createTheme,
  darken,
  defaultVariantColorsResolver,
  type MantineColorsTuple,
  Modal,
  parseThemeColor,
  type VariantColorsResolver,
} from "@mantine/core";

// System fonts only: nothing is fetched from a font CDN.
const system = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

// A deep green whose working shades (7 and up) pass WCAG AA against white and its own light tint.
const canopy: MantineColorsTuple = [
  "#e3f6f1",
  "#c4ebe1",
  "#9fdccb",
  "#74cbb3",
  "#4dba9c",
  "#2fa987",
  "#1b8f70",
  "#0f7259",
  "#0a5e4a",
  "#064a3a",
];

/** Light badges, alerts and nav links: Mantine's text shade is too pale on the tint for AA; a darker one reads. */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  if (input.variant !== "light") return colors;
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  const tuple = input.theme.colors[parsed.color];
  return tuple ? { ...colors, color: darken(tuple[9], 0.3) } : colors;
};

export const theme = createTheme({
  colors: { canopy },
  primaryColor: "canopy",
  primaryShade: 7,
  fontFamily: system,
  headings: { fontFamily: system },
  defaultRadius: "md",
  variantColorResolver,
  components: {
    // The dialogs' close button is an icon: it needs a name for screen readers.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { "aria-label": "Close" } } }),
  },
});

/** Mantine's dimmed text (gray 6) is below AA contrast on white; gray 7 passes. */
export const cssVariables: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { "--mantine-color-dimmed": t.colors.gray[7], "--mantine-color-error": t.colors.red[8] },
  dark: {},
});
