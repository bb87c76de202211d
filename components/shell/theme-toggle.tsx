"use client";
import { useEffect, useState } from "react";

type Theme = "light" | "dark";

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme | null>(null);
  useEffect(() => {
    setTheme(document.documentElement.dataset.theme === "dark" ? "dark" : "light");
  }, []);
  const toggle = () => {
    const next: Theme = theme === "dark" ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    localStorage.setItem("busdeck-theme", next);
    setTheme(next);
  };
  return (
    // the visible text is the accessible name (WCAG 2.5.3): voice users say what they see
    <button
      type="button"
      className="btn btn-ghost"
      onClick={toggle}
      title="Switch between the light and dark theme"
      data-testid="theme-toggle"
    >
      {theme === "dark" ? "Light" : "Dark"} theme
    </button>
  );
}
