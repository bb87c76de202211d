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
    <button type="button" className="btn btn-ghost" onClick={toggle} aria-label="Toggle light/dark theme">
      {theme === "dark" ? "Light" : "Dark"} theme
    </button>
  );
}
