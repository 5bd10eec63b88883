// Placeholder until the Format library lands.
