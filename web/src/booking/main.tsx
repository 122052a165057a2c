import './booking.css';
import { render } from 'preact';
import { BookingPage } from './BookingPage.tsx';

/** `/booking.html#store=st_…`: a static page (no server route), so S3 + CloudFront and the local server serve it as is. */
const storeId = new URLSearchParams(location.hash.slice(1)).get('store') ?? '';
render(<BookingPage storeId={storeId} />, document.getElementById('booking')!);
