/** Who works the report queue: the operator and the members given the moderator role. */
export function mayModerate(role: string | null | undefined): boolean {
  return role === "operator" || role === "moderator";
}
