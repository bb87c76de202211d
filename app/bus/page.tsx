import { redirect } from "next/navigation";

/** The Bus area opens on its Servers page. */
export default function Page() {
  redirect("/bus/servers");
}
