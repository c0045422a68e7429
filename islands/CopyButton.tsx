/**
 * A copy-to-clipboard button on its own (the model page's title). Hidden until hydrated: it
 * needs JavaScript. The ModelTable island renders the same button inside its rows.
 */
import { CopyIdButton, type CopyIdButtonProps } from "./copy.tsx";

export type CopyButtonProps = CopyIdButtonProps;

export default function CopyButton(props: CopyButtonProps) {
  return <CopyIdButton {...props} />;
}
