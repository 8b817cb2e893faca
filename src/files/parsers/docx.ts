import mammoth from 'mammoth';

/** The text of a Word .docx, paragraph by paragraph (runs inside the parsing worker only). */
export async function docxText(bytes: Buffer): Promise<string> {
  const result = await mammoth.extractRawText({ buffer: bytes });
  return result.value;
}
