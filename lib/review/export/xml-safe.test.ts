import { describe, expect, it } from "vitest";
import { isXmlSafe, xmlSafeText } from "./xml-safe";

describe("xml-safe text", () => {
  it("png export - controls XML cannot carry become their control pictures; tab, newline and return stay", () => {
    expect(xmlSafeText("\u0000<script>\u0007\u001F")).toBe("␀<script>␇␟");
    expect(xmlSafeText("a\tb\nc\rd")).toBe("a\tb\nc\rd");
    expect(isXmlSafe(xmlSafeText("\u0000\u000B\u000C"))).toBe(true);
    expect(isXmlSafe("\u0000")).toBe(false);
  });

  it("png export - lone surrogates and U+FFFE/U+FFFF become U+FFFD; a surrogate pair stays", () => {
    expect(xmlSafeText("x\uD800y\uDC00z\uFFFE")).toBe("x\uFFFDy\uFFFDz\uFFFD");
    expect(xmlSafeText("🔒 lock")).toBe("🔒 lock");
    expect(isXmlSafe("🔒")).toBe(true);
  });
});
