import { bookTitle, type Book } from './book';

/** A download's name from the candidate's name, without characters that file systems or headers refuse. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must lose
export const fileStem = (book: Book) => (book.title ? bookTitle(book) : `CMALT portfolio - ${book.candidate.name}`).replace(/[<>:"/\\|?*\u0000-\u001f]/g, '').trim();
export const pdfName = (book: Book) => `${fileStem(book)}.pdf`;
export const zipName = (book: Book) => `${fileStem(book)} - website.zip`;
