import { cleanFileName } from '../http/file-names';
import { bookTitle, type Book } from './book';

/** A download's name from the candidate's name, without characters that file systems or headers refuse. */
export const fileStem = (book: Book) => cleanFileName(book.title ? bookTitle(book) : `CMALT portfolio - ${book.candidate.name}`);
export const pdfName = (book: Book) => `${fileStem(book)}.pdf`;
export const zipName = (book: Book) => `${fileStem(book)} - website.zip`;
